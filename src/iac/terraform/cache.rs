//! Parsed module directories and canonical identities, shared by the root modules evaluated in parallel.
//!
//! A directory is parsed once, by whichever root reaches it first, and every other root (and every other
//! call of it) reuses that parse; it is keyed by the path as spelled (joined and lexically normalised), so
//! the file names a module's resources carry do not depend on which root got there first. Identities
//! (`canonicalize`: a `readlink` per path component) are remembered the same way.

use super::parse::{self, ParsedFile};
use super::vars::{self, Variables};
use crate::iac::ScanOptions;
use crate::model::Diagnostic;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// The parsed files of one directory, with the diagnostics parsing gave.
#[derive(Debug, Default)]
pub(super) struct ModuleDir {
    pub files: Vec<ParsedFile>,
    pub diags: Vec<Diagnostic>,
    /// The names that may be variable files ([`vars::is_var_file`]), from the same listing.
    pub var_files: Vec<String>,
    /// Its `variable` blocks, read once however many times the module is called.
    declared: OnceLock<Variables>,
}

impl ModuleDir {
    /// Parse every `.tf` and `.tf.json` file in `dir`, in name order.
    fn load(dir: &Path, opts: &ScanOptions) -> ModuleDir {
        let listing = Listing::of(dir);
        let parsed = listing.tf.iter().map(|path| parse_one(path, opts));
        Self::of(parsed, listing.var_files)
    }

    fn of(parsed: impl Iterator<Item = Parsed>, var_files: Vec<String>) -> ModuleDir {
        let mut module = ModuleDir {
            var_files,
            ..ModuleDir::default()
        };
        for (file, diags) in parsed {
            module.files.extend(file);
            module.diags.extend(diags);
        }
        module
    }

    /// Whether a block looks a resource group up (`data "azurerm_resource_group"`, see
    /// [`super::eval::Scope::known_groups`]).
    pub fn looks_up_groups(&self) -> bool {
        let lookup =
            |d: &&parse::Decl| d.keyword == "data" && d.label(0) == "azurerm_resource_group";
        self.files.iter().flat_map(|f| &f.decls).any(|d| lookup(&d))
    }

    /// The module's declared variables ([`vars::declared`]).
    pub fn declared(&self) -> &Variables {
        self.declared.get_or_init(|| {
            let files: Vec<&ParsedFile> = self.files.iter().collect();
            vars::declared(&files)
        })
    }
}

fn parse_one(path: &Path, opts: &ScanOptions) -> Parsed {
    let mut diags = Vec::new();
    (parse::parse_file(path, opts, &mut diags), diags)
}

/// What one read of a directory gives: its `.tf` and `.tf.json` files in name order, and the names that may
/// be variable files. The listing says which entries are files; only a symbolic link costs a `stat`.
pub(super) struct Listing {
    tf: Vec<PathBuf>,
    pub(super) var_files: Vec<String>,
}

impl Listing {
    pub(super) fn of(dir: &Path) -> Listing {
        let listing = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let mut tf = Vec::new();
        let mut var_files = Vec::new();
        for entry in std::fs::read_dir(listing).into_iter().flatten().flatten() {
            let (Ok(kind), Some(name)) = (
                entry.file_type(),
                entry.file_name().to_str().map(str::to_string),
            ) else {
                continue;
            };
            if name.ends_with(".tf") || name.ends_with(".tf.json") {
                let is_file = if kind.is_symlink() {
                    std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file())
                } else {
                    kind.is_file()
                };
                if is_file {
                    tf.push(name);
                }
            } else if (kind.is_file() || kind.is_symlink()) && vars::is_var_file(&name) {
                var_files.push(name);
            }
        }
        tf.sort();
        Listing {
            tf: tf.into_iter().map(|n| dir.join(n)).collect(),
            var_files,
        }
    }
}

/// One file parsed (`None` when it could not be read) and the diagnostics reading and parsing it gave.
type Parsed = (Option<ParsedFile>, Vec<Diagnostic>);

/// A directory being parsed or parsed, shared by whoever asks for it.
type Slot = Arc<OnceLock<Arc<ModuleDir>>>;

/// Every directory parsed so far and every identity asked about.
pub(super) struct Modules<'a> {
    opts: &'a ScanOptions,
    dirs: Mutex<HashMap<PathBuf, Slot>>,
    identities: Mutex<HashMap<PathBuf, PathBuf>>,
}

impl<'a> Modules<'a> {
    pub fn new(opts: &'a ScanOptions) -> Self {
        Modules {
            opts,
            dirs: Mutex::default(),
            identities: Mutex::default(),
        }
    }

    pub fn opts(&self) -> &'a ScanOptions {
        self.opts
    }

    /// Parse every file of `dirs` in parallel (one task per file, so a few large directories spread over
    /// the threads too) and learn the directories' identities, before anything asks for them.
    pub fn preload(&self, dirs: &[PathBuf]) {
        let mut listed: Vec<(&PathBuf, Listing)> = dirs
            .par_iter()
            .map(|dir| {
                self.identity(dir);
                (dir, Listing::of(dir))
            })
            .collect();
        let files: Vec<(usize, &PathBuf)> = listed
            .iter()
            .enumerate()
            .flat_map(|(i, (_, listing))| listing.tf.iter().map(move |f| (i, f)))
            .collect();
        let mut parsed: Vec<(usize, Parsed)> = files
            .into_par_iter()
            .map(|(i, path)| (i, parse_one(path, self.opts)))
            .collect();
        let mut dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
        for (i, (dir, listing)) in listed.iter_mut().enumerate().rev() {
            let at = parsed.partition_point(|(j, _)| *j < i);
            let var_files = std::mem::take(&mut listing.var_files);
            let module = ModuleDir::of(parsed.drain(at..).map(|(_, p)| p), var_files);
            let slot = dirs.entry((*dir).clone()).or_default();
            // Already there when the same directory is given twice: the first parse stands.
            let _ = slot.set(Arc::new(module));
        }
    }

    /// The parsed directory `dir`, parsed now if nobody has yet (other threads asking meanwhile wait for it).
    /// A directory parsed here is parsed on this thread: a rayon task inside `get_or_init` could steal work
    /// that asks for the same directory and wait for itself.
    pub fn get(&self, dir: &Path) -> Arc<ModuleDir> {
        let slot = {
            let mut dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
            match dirs.get(dir) {
                Some(slot) => slot.clone(),
                None => dirs.entry(dir.to_path_buf()).or_default().clone(),
            }
        };
        slot.get_or_init(|| Arc::new(ModuleDir::load(dir, self.opts)))
            .clone()
    }

    /// Free the parsed directories on every thread (dropping thousands of syntax trees is not free).
    pub fn drop_in_parallel(self) {
        let dirs = self.dirs.into_inner().unwrap_or_else(|e| e.into_inner());
        dirs.into_par_iter().for_each(drop);
    }

    /// [`crate::paths::identity`] of `dir`, remembered.
    pub fn identity(&self, dir: &Path) -> PathBuf {
        let known = self.identities.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(identity) = known.get(dir) {
            return identity.clone();
        }
        drop(known);
        let identity = crate::paths::identity(dir);
        let mut known = self.identities.lock().unwrap_or_else(|e| e.into_inner());
        known.insert(dir.to_path_buf(), identity.clone());
        identity
    }
}
