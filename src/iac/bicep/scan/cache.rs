//! The scan's file cache: files the walk named are read and parsed in parallel batches when the scan first
//! needs them, each file once under its canonical key; between templates the least recently used are dropped
//! when they hold too much source, and read again if a later template needs them.

use super::{ParsedFile, Scanner, read_and_parse};
use crate::model::Diagnostic;
use crate::paths::identity;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How many bytes of source the parsed files kept in memory may hold before the least recently used are
/// dropped, between two templates (a syntax tree takes about ten times its source). A file dropped and needed
/// again is read and parsed again: a module is usually needed by templates near it in path order.
pub(super) const CACHE_BYTES: usize = 4 << 20;

/// How many files the walk named are read and parsed at once, in parallel, when the scan first needs one.
const PARSE_BATCH: usize = 64;

impl Scanner<'_> {
    /// Load and parse `path` once; later calls return the same file id. `None` when it cannot be read
    /// (a diagnostic says why, once).
    pub fn load(&mut self, path: &Path) -> Option<usize> {
        let key = self.key(path);
        if self.pending.contains_key(&key) {
            self.parse_batch(&key);
        }
        if let Some(id) = self.by_key.get(&key).copied() {
            let id = id?;
            self.loads += 1;
            if let Some(used) = self.used.get_mut(id) {
                *used = self.loads;
            }
            self.file(id)?;
            return Some(id);
        }
        let (file, diagnostics) = read_and_parse(path, self.opts);
        let id = self.add(key, path, file, diagnostics);
        if let Some(id) = id {
            self.loads += 1;
            self.used[id] = self.loads;
        }
        id
    }

    /// The parsed file `id`, read and parsed again when it was dropped from the cache (its diagnostics were
    /// reported the first time).
    pub fn file(&mut self, id: usize) -> Option<Arc<ParsedFile>> {
        if let Some(file) = self.files.get(id)?.clone() {
            return Some(file);
        }
        let path = self.paths.get(id)?.clone();
        let file = Arc::new(read_and_parse(&path, self.opts).0?);
        self.held += file.text.len();
        self.files[id] = Some(file.clone());
        Some(file)
    }

    /// Take note of the files the walk named (their keys worked out in parallel): the first time the scan
    /// needs one, it and the next ones are read and parsed together, in parallel ([`PARSE_BATCH`]). File ids
    /// follow the order the scan reaches them, so the scan stays deterministic.
    pub fn preload(&mut self, paths: &[PathBuf]) {
        let keyed: Vec<(PathBuf, &PathBuf)> = paths.par_iter().map(|p| (identity(p), p)).collect();
        for (key, path) in keyed {
            self.keys.insert(path.to_path_buf(), key.clone());
            if !self.by_key.contains_key(&key) && !self.pending.contains_key(&key) {
                self.queue.push(key.clone());
                self.pending.insert(key, path.to_path_buf());
            }
        }
    }

    /// Parse `wanted` (a queued key) and the next queued files not parsed yet, in parallel.
    fn parse_batch(&mut self, wanted: &PathBuf) {
        let mut batch: Vec<(PathBuf, PathBuf)> = Vec::new();
        if let Some(path) = self.pending.remove(wanted) {
            batch.push((wanted.clone(), path));
        }
        while batch.len() < PARSE_BATCH && self.queued_from < self.queue.len() {
            let key = &self.queue[self.queued_from];
            self.queued_from += 1;
            if let Some(path) = self.pending.remove(key) {
                batch.push((key.clone(), path));
            }
        }
        let opts = self.opts;
        let parsed: Vec<_> = if self.parallel_parse {
            batch
                .par_iter()
                .map(|(_, path)| read_and_parse(path, opts))
                .collect()
        } else {
            batch
                .iter()
                .map(|(_, path)| read_and_parse(path, opts))
                .collect()
        };
        for ((key, path), (file, diagnostics)) in batch.into_iter().zip(parsed) {
            self.add(key, &path, file, diagnostics);
        }
    }

    /// Between two templates: when the parsed files hold more than [`CACHE_BYTES`] of source, drop the least
    /// recently loaded until they hold half of it.
    pub(super) fn trim_cache(&mut self) {
        if self.held <= self.cache_bytes {
            return;
        }
        let mut ids: Vec<usize> = (0..self.files.len())
            .filter(|&id| self.files[id].is_some())
            .collect();
        ids.sort_by_key(|&id| self.used[id]);
        for id in ids {
            if self.held <= self.cache_bytes / 2 {
                break;
            }
            if let Some(file) = self.files[id].take() {
                self.held -= file.text.len();
            }
        }
    }

    /// [`identity`] of `path`, remembered.
    pub(super) fn key(&mut self, path: &Path) -> PathBuf {
        if let Some(key) = self.keys.get(path) {
            return key.clone();
        }
        let key = identity(path);
        self.keys.insert(path.to_path_buf(), key.clone());
        key
    }

    /// Register one read (or unreadable) file under `key`.
    pub(super) fn add(
        &mut self,
        key: PathBuf,
        path: &Path,
        file: Option<ParsedFile>,
        diagnostics: Vec<Diagnostic>,
    ) -> Option<usize> {
        self.diagnostics.extend(diagnostics);
        let id = file.map(|file| {
            self.held += file.text.len();
            self.files.push(Some(Arc::new(file)));
            self.paths.push(path.to_path_buf());
            self.used.push(0);
            self.files.len() - 1
        });
        self.by_key.insert(key, id);
        id
    }
}

#[cfg(test)]
#[path = "cache_tests.rs"]
mod tests;
