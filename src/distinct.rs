//! Work done once per distinct string among many copies.
//!
//! The scanners return one [`crate::model::Resource`] per copy of a declaration (the same module reached from
//! many templates): about six times more copies than declarations, but only a few thousand distinct file and
//! scan-unit strings among them. What a path string gives (its root, its class, its relative form) is worked
//! out once per distinct string, in parallel, and looked up per copy; consecutive copies usually share their
//! strings, so a lookup first compares with the previous copy's string and hashes only when it differs.

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

/// Copies handed to one task at a time: large enough that a task's cost dwarfs its scheduling.
pub const CHUNK: usize = 2048;

/// Free `value` on a worker thread. Tens of thousands of strings take the thread that frees them
/// milliseconds, which the output need not wait for; when the process ends first, nothing is lost.
pub fn free_later<T: Send + 'static>(value: T) {
    rayon::spawn(move || drop(value));
}

/// The distinct strings `field` gives over `items` (`None`: the item has none), in no particular order.
pub fn strings<'a, T: Sync>(
    items: &'a [T],
    field: impl Fn(&'a T) -> Option<&'a str> + Sync,
) -> Vec<&'a str> {
    strings_at(items, |_, item| field(item))
}

/// [`strings`], with `field` also given the item's position.
pub fn strings_at<'a, T: Sync>(
    items: &'a [T],
    field: impl Fn(usize, &'a T) -> Option<&'a str> + Sync,
) -> Vec<&'a str> {
    items
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(n, chunk)| {
            let mut seen: FxHashSet<&'a str> = FxHashSet::default();
            let mut last: Option<&str> = None;
            let first = n * CHUNK;
            let fields = chunk.iter().enumerate();
            for s in fields.filter_map(|(i, item)| field(first + i, item)) {
                if last != Some(s) {
                    seen.insert(s);
                    last = Some(s);
                }
            }
            seen
        })
        .reduce(FxHashSet::default, |mut a, mut b| {
            if a.len() < b.len() {
                std::mem::swap(&mut a, &mut b);
            }
            a.extend(b);
            a
        })
        .into_iter()
        .collect()
}

/// What `value` gives for each distinct string of `field` over some items, worked out once per string.
/// The strings are owned, so the items may be changed while the values are looked up.
#[derive(Debug)]
pub struct PerString<V> {
    values: FxHashMap<String, V>,
}

impl<V: Send> PerString<V> {
    /// `value` of every distinct string `field` gives over `items`, in parallel.
    pub fn new<'a, T: Sync>(
        items: &'a [T],
        field: impl Fn(&'a T) -> Option<&'a str> + Sync,
        value: impl Fn(&str) -> V + Sync,
    ) -> Self {
        Self::of(strings(items, field), value)
    }

    /// `value` of each of `strings` (distinct), in parallel.
    pub fn of(strings: Vec<&str>, value: impl Fn(&str) -> V + Sync) -> Self {
        PerString {
            values: strings
                .into_par_iter()
                .map(|s| (s.to_string(), value(s)))
                .collect(),
        }
    }
}

impl<V> FromIterator<(String, V)> for PerString<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(pairs: I) -> Self {
        PerString {
            values: pairs.into_iter().collect(),
        }
    }
}

impl<V> PerString<V> {
    /// The value of `s`, when it was among the strings.
    pub fn get(&self, s: &str) -> Option<&V> {
        self.values.get(s)
    }

    /// A lookup that remembers the last string it was asked about (use one per task).
    pub fn lookup(&self) -> Lookup<'_, V> {
        Lookup {
            of: self,
            last: None,
        }
    }
}

/// Lookups in a [`PerString`] by copies that mostly repeat the previous copy's string.
#[derive(Debug)]
pub struct Lookup<'m, V> {
    of: &'m PerString<V>,
    last: Option<(&'m str, &'m V)>,
}

impl<'m, V> Lookup<'m, V> {
    /// The value of `s`, when it was among the strings.
    pub fn get(&mut self, s: &str) -> Option<&'m V> {
        if let Some((last, value)) = self.last
            && last == s
        {
            return Some(value);
        }
        let (key, value) = self.of.values.get_key_value(s)?;
        self.last = Some((key.as_str(), value));
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_distinct_string_is_worked_out_once_and_found_again() {
        let items: Vec<String> = (0..10_000)
            .map(|i| format!("file-{}", i / 7 % 300))
            .collect();
        let mut distinct = strings(&items, |s| Some(s.as_str()));
        distinct.sort_unstable();
        let mut expected: Vec<&str> = items.iter().map(String::as_str).collect();
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(distinct, expected);

        let calls = std::sync::atomic::AtomicUsize::new(0);
        let lengths = PerString::new(
            &items,
            |s| Some(s.as_str()).filter(|s| !s.ends_with('3')),
            |s| {
                calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                s.len()
            },
        );
        let wanted = expected.iter().filter(|s| !s.ends_with('3')).count();
        assert_eq!(calls.into_inner(), wanted);
        let mut lookup = lengths.lookup();
        for s in &items {
            let found = lookup.get(s).copied();
            assert_eq!(found, (!s.ends_with('3')).then_some(s.len()), "{s}");
        }
    }
}
