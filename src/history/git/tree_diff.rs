//! Which IaC files differ between two trees.
//!
//! A hand-written recursive comparison of tree entries: both trees are read in git's canonical entry order and
//! merged like two sorted lists, and only subtrees whose ids differ are opened. That is all `git log -- <paths>`
//! needs to know, it needs no rename detection or blob diffing, and it allocates nothing per commit beyond the
//! paths it reports (buffers are reused, one pair per tree depth).

use super::matches_iac_pattern;
use crate::iac::arm::is_arm_template;
use crate::model::{Diagnostic, Severity};
use gix::objs::FindExt;
use gix::objs::tree::{EntryMode, name_order};
use gix::prelude::HeaderExt;
use std::cmp::Ordering;

/// Trees nested deeper than this are not opened (a guard against crafted repositories; real ones stay far below).
const MAX_TREE_DEPTH: usize = 256;

/// JSON files larger than this are not read to decide whether they are ARM templates.
const MAX_ARM_TEMPLATE_BYTES: u64 = 16 * 1024 * 1024;

/// JSON file names that are never ARM templates and are often large (lock files): not worth decompressing.
const NEVER_ARM_TEMPLATES: &[&[u8]] = &[
    b"package.json",
    b"package-lock.json",
    b"npm-shrinkwrap.json",
    b"packages.lock.json",
    b"project.assets.json",
    b"composer.json",
    b"tsconfig.json",
];

/// At most this many diagnostics are kept per history walk (memory stays bounded on a broken repository).
pub(super) const MAX_DIAGNOSTICS: usize = 20;

/// One side of a changed entry: its mode and object id.
type Side<'a> = Option<(EntryMode, &'a gix::hash::oid)>;

/// Compares trees of one repository; reuses its buffers from one comparison to the next.
pub(in crate::history) struct TreeDiff<'repo> {
    /// Report every changed file, not only IaC files (the path filters of workflow triggers need them all).
    all_files: bool,
    /// Where objects are read from.
    objects: &'repo gix::OdbHandle,
    /// Tree buffers, two per depth (old, new); taken out while in use so recursion can borrow `self`.
    tree_buffers: Vec<Vec<u8>>,
    /// Buffer for JSON blobs read to detect ARM templates.
    blob_buffer: Vec<u8>,
    /// The path of the tree being compared, `/`-terminated (empty at the top).
    path: Vec<u8>,
    /// Problems met (missing objects, too deep trees), at most [`MAX_DIAGNOSTICS`].
    pub(in crate::history) diagnostics: Vec<Diagnostic>,
}

impl<'repo> TreeDiff<'repo> {
    /// A differ reading from `objects`.
    pub(in crate::history) fn new(objects: &'repo gix::OdbHandle) -> Self {
        TreeDiff {
            all_files: false,
            objects,
            tree_buffers: Vec::new(),
            blob_buffer: Vec::new(),
            path: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    /// A differ that reports every changed file (see [`Self::changed_iac_paths`]), IaC or not.
    pub(in crate::history) fn all_files(objects: &'repo gix::OdbHandle) -> Self {
        TreeDiff {
            all_files: true,
            ..TreeDiff::new(objects)
        }
    }

    /// The IaC paths (all paths for [`Self::all_files`]) (relative to the compared trees, `/`-separated) that `new` adds, changes or deletes compared
    /// with `old`; `None` stands for the empty tree. Sorted in git's tree order.
    pub(in crate::history) fn changed_iac_paths(
        &mut self,
        old: Option<&gix::hash::oid>,
        new: Option<&gix::hash::oid>,
    ) -> Result<Vec<String>, gix::Error> {
        let mut changed = Vec::new();
        self.path.clear();
        self.compare_trees(0, old, new, &mut changed)?;
        Ok(changed)
    }

    /// Compare two trees (either may be absent) at `depth`, appending changed IaC paths to `changed`.
    fn compare_trees(
        &mut self,
        depth: usize,
        old: Option<&gix::hash::oid>,
        new: Option<&gix::hash::oid>,
        changed: &mut Vec<String>,
    ) -> Result<(), gix::Error> {
        if old == new {
            return Ok(());
        }
        if depth >= MAX_TREE_DEPTH {
            let path = String::from_utf8_lossy(&self.path).into_owned();
            self.diagnose(
                path,
                "tree-too-deep",
                format!("trees nested deeper than {MAX_TREE_DEPTH} are not read"),
            );
            return Ok(());
        }
        if self.tree_buffers.len() < 2 * (depth + 1) {
            self.tree_buffers.resize_with(2 * (depth + 1), Vec::new);
        }
        // Taken out (an empty Vec allocates nothing) so that the entries can borrow them during recursion.
        let mut old_buffer = std::mem::take(&mut self.tree_buffers[2 * depth]);
        let mut new_buffer = std::mem::take(&mut self.tree_buffers[2 * depth + 1]);
        let result =
            self.compare_tree_entries(depth, old, new, &mut old_buffer, &mut new_buffer, changed);
        self.tree_buffers[2 * depth] = old_buffer;
        self.tree_buffers[2 * depth + 1] = new_buffer;
        result
    }

    /// Read both trees into the given buffers and walk their entries in step.
    fn compare_tree_entries(
        &mut self,
        depth: usize,
        old: Option<&gix::hash::oid>,
        new: Option<&gix::hash::oid>,
        old_buffer: &mut Vec<u8>,
        new_buffer: &mut Vec<u8>,
        changed: &mut Vec<String>,
    ) -> Result<(), gix::Error> {
        let mut old_entries = match old {
            Some(id) => Some(self.objects.find_tree_iter(id, old_buffer)?),
            None => None,
        }
        .into_iter()
        .flatten()
        .peekable();
        let mut new_entries = match new {
            Some(id) => Some(self.objects.find_tree_iter(id, new_buffer)?),
            None => None,
        }
        .into_iter()
        .flatten()
        .peekable();
        loop {
            let order = match (old_entries.peek(), new_entries.peek()) {
                (None, None) => return Ok(()),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some(Err(_)), _) | (_, Some(Err(_))) => Ordering::Equal,
                (Some(Ok(a)), Some(Ok(b))) => {
                    name_order(a.filename, a.mode.is_tree(), b.filename, b.mode.is_tree())
                }
            };
            let (old_entry, new_entry) = match order {
                Ordering::Less => (old_entries.next(), None),
                Ordering::Greater => (None, new_entries.next()),
                Ordering::Equal => (old_entries.next(), new_entries.next()),
            };
            let old_entry = old_entry.transpose()?;
            let new_entry = new_entry.transpose()?;
            let Some(name) = new_entry
                .as_ref()
                .or(old_entry.as_ref())
                .map(|e| e.filename)
            else {
                continue;
            };
            let old_side: Side<'_> = old_entry.as_ref().map(|e| (e.mode, e.oid));
            let new_side: Side<'_> = new_entry.as_ref().map(|e| (e.mode, e.oid));
            if old_side == new_side {
                continue;
            }
            let is_tree = new_side
                .or(old_side)
                .is_some_and(|(mode, _)| mode.is_tree());
            let path_len = self.path.len();
            self.path.extend_from_slice(name);
            if is_tree {
                self.path.push(b'/');
                let result = self.compare_trees(
                    depth + 1,
                    old_side.map(|s| s.1),
                    new_side.map(|s| s.1),
                    changed,
                );
                self.path.truncate(path_len);
                result?;
            } else {
                if self.all_files || self.changed_file_is_iac(old_side, new_side) {
                    changed.push(String::from_utf8_lossy(&self.path).into_owned());
                }
                self.path.truncate(path_len);
            }
        }
    }

    /// Whether the changed non-tree entry at `self.path` is an IaC file: by name, or for `.json` an ARM template
    /// on the new side (or, failing that, on the old side: a template deleted or turned into something else).
    fn changed_file_is_iac(&mut self, old: Side<'_>, new: Side<'_>) -> bool {
        if matches_iac_pattern(&self.path) {
            return true;
        }
        if !self.path.ends_with(b".json") {
            return false;
        }
        let file_name = self
            .path
            .rsplit(|b| *b == b'/')
            .next()
            .unwrap_or(&self.path);
        if NEVER_ARM_TEMPLATES.contains(&file_name) {
            return false;
        }
        [new, old]
            .into_iter()
            .flatten()
            .any(|(mode, id)| mode.is_blob() && self.blob_is_arm_template(id))
    }

    /// Read the blob `id` and tell whether it is an ARM template; unreadable blobs are diagnosed and are not.
    fn blob_is_arm_template(&mut self, id: &gix::hash::oid) -> bool {
        let size = match self.objects.header(id) {
            Ok(header) => header.size(),
            Err(err) => return self.unreadable_blob(id, &err),
        };
        if size > MAX_ARM_TEMPLATE_BYTES {
            return false;
        }
        let mut buffer = std::mem::take(&mut self.blob_buffer);
        let is_template = match self.objects.find_blob(id, &mut buffer) {
            Ok(blob) => std::str::from_utf8(blob.data).is_ok_and(is_arm_template),
            Err(err) => self.unreadable_blob(id, &err),
        };
        self.blob_buffer = buffer;
        is_template
    }

    /// Note a blob that could not be read (a partial clone, a broken object database); it counts as no template.
    fn unreadable_blob(&mut self, id: &gix::hash::oid, err: &dyn std::fmt::Display) -> bool {
        let path = String::from_utf8_lossy(&self.path).into_owned();
        self.diagnose(
            path,
            "git-object",
            format!("could not read blob {id}: {err}"),
        );
        false
    }

    /// Keep a diagnostic about `path`, unless [`MAX_DIAGNOSTICS`] are kept already.
    pub(super) fn diagnose(&mut self, path: String, code: &str, message: String) {
        if self.diagnostics.len() < MAX_DIAGNOSTICS {
            self.diagnostics.push(Diagnostic::new(
                path,
                0,
                0,
                Severity::Warning,
                code,
                message,
            ));
        }
    }
}
