//! One entry per declaration among the scanners' copies (the same declaration reached from several templates
//! or callers: several times as many copies as declarations on module-heavy repositories): files shown
//! relative to the base once per distinct file, the best copy per key picked on keys hashed in parallel, the
//! others freed on a worker, and a child resource given its parent's service.

use crate::distinct::{self, PerString};
use crate::model::{Diagnostic, Resource};
use crate::paths::relative;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::path::Path;

/// Files as output shows them, relative to the base. Resources are many and their files few: each file is
/// made relative once, in parallel. Two spellings of one file (`a/../b.tf`, `b.tf`) show alike and get the
/// same id, so copies are compared by id.
pub(super) struct ShownFiles {
    /// A file as the scanners wrote it → the id of its text.
    pub(super) id_of: PerString<u32>,
    /// Each distinct relative path once, by id.
    texts: Vec<String>,
}

impl ShownFiles {
    pub(super) fn new(resources: &[Resource], diagnostics: &[Diagnostic], base: &Path) -> Self {
        let mut files = distinct::strings(resources, |r| Some(r.file.as_str()));
        files.extend(diagnostics.iter().map(|d| d.file.as_str()));
        files.sort_unstable();
        files.dedup();
        let shown: Vec<String> = files.par_iter().map(|file| relative(base, file)).collect();
        let mut id_of_text: FxHashMap<&str, u32> = FxHashMap::default();
        let mut texts: Vec<&str> = Vec::new();
        let id_of = files
            .iter()
            .zip(&shown)
            .map(|(file, text)| {
                let id = *id_of_text.entry(text).or_insert_with(|| {
                    texts.push(text);
                    u32::try_from(texts.len() - 1).unwrap_or(u32::MAX)
                });
                (file.to_string(), id)
            })
            .collect();
        let texts = texts.into_iter().map(str::to_string).collect();
        ShownFiles { id_of, texts }
    }

    pub(super) fn text(&self, id: u32) -> String {
        self.texts.get(id as usize).cloned().unwrap_or_default()
    }
}

/// One resource is one service: a child resource (`.../accounts/deployments`, `.../workspaces/connections`) has
/// no `kind` of its own, so the catalog would give it its type's default service even where the parent's `kind`
/// made the parent another (an `OpenAI` account is Azure OpenAI, a `Hub` workspace is Azure AI Foundry). A child
/// takes the service of the resources of its top-level type: those in its own file when they agree, else all in
/// the inventory when they agree; otherwise it keeps its own.
pub(super) fn children_follow_their_parent(resources: &mut [Resource]) {
    type Facts<'a> = (&'a str, &'a str, &'a str);
    let agree = |seen: &mut Option<Facts>, facts: Facts| {
        if *seen != Some(facts) {
            *seen = None;
        }
    };
    let mut updates: Vec<(usize, Facts)> = Vec::new();
    let mut in_file: FxHashMap<(&str, IgnoringCase), Option<Facts>> = FxHashMap::default();
    let mut anywhere: FxHashMap<IgnoringCase, Option<Facts>> = FxHashMap::default();
    for r in resources.iter() {
        let (Some(t), Some(s), Some(c), Some(a)) =
            (&r.arm_type, &r.service, &r.category, &r.solution_area)
        else {
            continue;
        };
        if !super::is_top_level(t) {
            continue;
        }
        let facts = (s.as_str(), c.as_str(), a.as_str());
        let t = IgnoringCase(t);
        in_file
            .entry((r.file.as_str(), t))
            .and_modify(|seen| agree(seen, facts))
            .or_insert(Some(facts));
        anywhere
            .entry(t)
            .and_modify(|seen| agree(seen, facts))
            .or_insert(Some(facts));
    }
    for (i, r) in resources.iter().enumerate() {
        let Some(t) = r.arm_type.as_deref().filter(|t| !super::is_top_level(t)) else {
            continue;
        };
        // The first two segments: `Microsoft.Storage/storageAccounts` of `.../blobServices/containers`.
        let top = IgnoringCase(match t.match_indices('/').nth(1) {
            Some((second_slash, _)) => t.get(..second_slash).unwrap_or(t),
            None => t,
        });
        let parent = match in_file.get(&(r.file.as_str(), top)) {
            Some(Some(facts)) => Some(facts),
            _ => anywhere.get(&top).and_then(Option::as_ref),
        };
        if let Some(&facts) = parent {
            updates.push((i, facts));
        }
    }
    let updates: Vec<(usize, [String; 3])> = updates
        .into_iter()
        .map(|(i, (s, c, a))| (i, [s, c, a].map(str::to_string)))
        .collect();
    for (i, [s, c, a]) in updates {
        if let Some(r) = resources.get_mut(i) {
            r.service = Some(s);
            r.category = Some(c);
            r.solution_area = Some(a);
        }
    }
}

/// A string compared and hashed without regard to ASCII case.
#[derive(Clone, Copy)]
struct IgnoringCase<'a>(&'a str);

impl PartialEq for IgnoringCase<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for IgnoringCase<'_> {}

impl std::hash::Hash for IgnoringCase<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        hash_lowercase(self.0, state);
    }
}

/// Hash `s` as its ASCII lower case, eight bytes at a time, without making the lower-case copy.
fn hash_lowercase(s: &str, state: &mut impl std::hash::Hasher) {
    for word in s.as_bytes().chunks(8) {
        let mut bytes = [0u8; 8];
        for (to, from) in bytes.iter_mut().zip(word) {
            *to = from.to_ascii_lowercase();
        }
        state.write_u64(u64::from_le_bytes(bytes));
    }
    state.write_usize(s.len());
}

/// One resource per declaring file, line, source type, name and ARM type (a registry module lists each type
/// it deploys at its one line, beside the deployment its `module` line compiles to). Among copies, prefer a
/// deployed one, then one reached from a root but switched off, then the best by
/// [`crate::model::copy_rank`]; otherwise the first. The copies kept get their file as output shows it and
/// come sorted by file, line and name, then in the order their keys were first met.
pub(super) fn dedup(resources: Vec<Resource>, shown: &ShownFiles) -> Vec<Resource> {
    let rank = |x: &Resource| {
        let reached = x.deployed || x.why_not == Some(crate::model::WhyNot::Condition);
        (x.deployed, reached, crate::model::copy_rank(x))
    };
    let files: Vec<u32> = resources
        .par_chunks(distinct::CHUNK)
        .flat_map_iter(|chunk| {
            let mut file = shown.id_of.lookup();
            chunk
                .iter()
                .map(move |r| file.get(&r.file).copied().unwrap_or(u32::MAX))
        })
        .collect();
    // Keys hashed in parallel; the one-thread pass that picks the copies only compares hashes, and strings
    // where hashes agree.
    let keys: Vec<CopyKey> = resources
        .par_iter()
        .zip(&files)
        .map(|(r, &file)| CopyKey::new(file, r))
        .collect();
    let chosen = crate::model::best_per_key(&keys, |k| *k, |k| rank(k.copy));
    drop(keys);
    // The kept copies move out in the order their keys were first met; the rest are freed on a worker.
    let mut copies: Vec<Option<Resource>> = resources.into_iter().map(Some).collect();
    let kept: Vec<Resource> = chosen
        .iter()
        .filter_map(|&position| {
            let mut r = copies.get_mut(position)?.take()?;
            r.file = shown.text(files.get(position).copied().unwrap_or(u32::MAX));
            Some(r)
        })
        .collect();
    distinct::free_later(copies);
    // A stable sort, of positions rather than of the copies themselves (hundreds of bytes each).
    let mut order: Vec<usize> = (0..kept.len()).collect();
    order.par_sort_by(|&i, &j| match (kept.get(i), kept.get(j)) {
        (Some(a), Some(b)) => (&a.file, a.line, &a.name).cmp(&(&b.file, b.line, &b.name)),
        _ => i.cmp(&j),
    });
    crate::model::take_positions(kept, order)
}

/// What two copies of one resource share: the file as shown (by id), line, source type, name and ARM type
/// (ignoring case), with its hash worked out once.
#[derive(Clone, Copy)]
struct CopyKey<'a> {
    hash: u64,
    file: u32,
    copy: &'a Resource,
}

impl<'a> CopyKey<'a> {
    fn new(file: u32, copy: &'a Resource) -> Self {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        h.write_u32(file);
        h.write_u32(copy.line);
        h.write(copy.source_type.as_bytes());
        h.write_u8(0xff);
        h.write(copy.name.as_bytes());
        h.write_u8(0xff);
        if let Some(t) = &copy.arm_type {
            hash_lowercase(t, &mut h);
        }
        CopyKey {
            hash: h.finish(),
            file,
            copy,
        }
    }
}

impl PartialEq for CopyKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.copy, other.copy);
        self.hash == other.hash
            && self.file == other.file
            && a.line == b.line
            && a.source_type == b.source_type
            && a.name == b.name
            && match (&a.arm_type, &b.arm_type) {
                (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
                (None, None) => true,
                _ => false,
            }
    }
}

impl Eq for CopyKey<'_> {}

impl std::hash::Hash for CopyKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Condition, WhyNot};
    use std::collections::HashMap;

    /// The straightforward dedup this module replaces: each copy's file made relative, one map of owned keys,
    /// the best copy per key by rank (the first met among equals), a stable sort.
    fn reference(resources: Vec<Resource>, base: &Path) -> Vec<Resource> {
        let rank = |x: &Resource| {
            let reached = x.deployed || x.why_not == Some(WhyNot::Condition);
            (x.deployed, reached, crate::model::copy_rank(x))
        };
        type Key = (String, u32, String, String, Option<String>);
        let mut slot_of: HashMap<Key, usize> = HashMap::new();
        let mut kept: Vec<Resource> = Vec::new();
        for mut r in resources {
            r.file = relative(base, &r.file);
            let key = (
                r.file.clone(),
                r.line,
                r.source_type.clone(),
                r.name.clone(),
                r.arm_type.as_deref().map(str::to_ascii_lowercase),
            );
            match slot_of.get(&key) {
                Some(&slot) => {
                    if rank(&r) > rank(&kept[slot]) {
                        kept[slot] = r;
                    }
                }
                None => {
                    slot_of.insert(key, kept.len());
                    kept.push(r);
                }
            }
        }
        kept.sort_by(|a, b| (&a.file, a.line, &a.name).cmp(&(&b.file, b.line, &b.name)));
        kept
    }

    /// Copies as the scanners return them on a module-heavy repository: many copies per declaration, spread
    /// far apart (across many parallel chunks), two spellings of one file, ARM types differing in case.
    fn copies(n: usize) -> Vec<Resource> {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % below as u64) as usize
        };
        let files = [
            "/repo/infra/main.bicep",
            "/repo/infra/core/../core/host/app.bicep",
            "/repo/infra/core/host/app.bicep",
            "/repo/modules/storage/main.bicep",
            "/repo/tests/main.test.bicep",
        ];
        let types = [
            Some("Microsoft.Web/sites"),
            Some("microsoft.web/SITES"),
            Some("Microsoft.Storage/storageAccounts"),
            None,
        ];
        (0..n)
            .map(|i| {
                let mut r = Resource::new(
                    ["Microsoft.Web/sites@2023-01-01", "azurerm_linux_web_app"][next(2)],
                    ["app", "web", "sa"][next(3)],
                    files[next(files.len())],
                    1 + next(12) as u32,
                );
                r.arm_type = types[next(types.len())].map(str::to_string);
                r.deployed = next(3) > 0;
                r.why_not =
                    (!r.deployed).then(|| [WhyNot::Condition, WhyNot::Unreferenced][next(2)]);
                r.condition = [Condition::None, Condition::Unknown, Condition::False][next(3)];
                r.via_module = (next(2) == 0).then(|| "./core/host/app.bicep".to_string());
                r.location = (next(2) == 0).then(|| "westeurope".to_string());
                r.scanned_from = format!("/repo/infra/root-{}.bicep", i % 7);
                r
            })
            .collect()
    }

    #[test]
    fn the_copies_kept_are_those_the_straightforward_dedup_keeps_on_one_thread_and_four() {
        let base = Path::new("/repo");
        let all = copies(20_000);
        let expected = reference(all.clone(), base);
        assert!(
            expected.len() < 2_000,
            "copies were merged: {}",
            expected.len()
        );
        // Two spellings of one file are one file, and ARM types differing in case are one type.
        assert!(!expected.iter().any(|r| r.file.contains("..")
            || r.arm_type.as_deref() == Some("microsoft.web/SITES")
                && expected.iter().any(|o| o.file == r.file
                    && o.line == r.line
                    && o.name == r.name
                    && o.source_type == r.source_type
                    && o.arm_type.as_deref() == Some("Microsoft.Web/sites"))));
        for threads in [1, 4] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("thread pool");
            let kept = pool.install(|| dedup(all.clone(), &ShownFiles::new(&all, &[], base)));
            assert_eq!(kept, expected, "{threads} threads");
        }
    }
}
