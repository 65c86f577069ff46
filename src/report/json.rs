//! Pretty JSON with a long list serialised in parallel: an inventory of a large repository is mostly its
//! `resources` (ten megabytes for fourteen thousand resources), which one thread would write alone at the end
//! of the run. The items are serialised in parallel chunks and written in order; the bytes are exactly what
//! [`super::write_json`] writes.

use crate::inventory::Inventory;
use rayon::prelude::*;
use serde::Serialize;
use std::io;

/// Items serialised by one task.
const CHUNK: usize = 256;

/// [`super::write_json`] of an inventory, byte for byte, its resources serialised in parallel.
pub fn write_inventory(out: &mut dyn io::Write, inv: &Inventory) -> io::Result<()> {
    // Every field but the resources: naming each one here makes a new field a compile error, not a gap.
    let skeleton = Inventory {
        schema_version: inv.schema_version,
        resources: Vec::new(),
        roots: inv.roots.clone(),
        roots_summary: inv.roots_summary.clone(),
        region_note: inv.region_note.clone(),
        services: inv.services.clone(),
        regions: inv.regions.clone(),
        diagnostics: inv.diagnostics.clone(),
    };
    let text = serde_json::to_vec_pretty(&skeleton).map_err(io::Error::from)?;
    // `resources` is the document's second member, after a number: the first match is the member.
    const EMPTY: &[u8] = b"\n  \"resources\": []";
    let Some(at) = memchr::memmem::find(&text, EMPTY).map(|at| at + EMPTY.len() - 2) else {
        return super::write_json(out, inv);
    };
    let (head, tail) = text.split_at(at);
    out.write_all(head)?;
    write_list(out, &inv.resources, 1)?;
    out.write_all(tail.get(2..).unwrap_or_default())?;
    writeln!(out)
}

/// A list that is a member `depth` levels down, as serde_json's pretty printer writes it (two spaces a level).
fn write_list<T: Serialize + Sync>(
    out: &mut dyn io::Write,
    items: &[T],
    depth: usize,
) -> io::Result<()> {
    if items.is_empty() {
        return out.write_all(b"[]");
    }
    let item_indent = "  ".repeat(depth + 1);
    let chunks: Vec<Vec<u8>> = items
        .par_chunks(CHUNK)
        .map(|chunk| serialise_chunk(chunk, item_indent.as_bytes()))
        .collect::<io::Result<_>>()?;
    out.write_all(b"[")?;
    for (n, chunk) in chunks.iter().enumerate() {
        // Every item is written after `,\n`; the first has no comma.
        let chunk = if n == 0 {
            chunk.get(1..).unwrap_or_default()
        } else {
            chunk
        };
        out.write_all(chunk)?;
    }
    out.write_all(b"\n")?;
    out.write_all("  ".repeat(depth).as_bytes())?;
    out.write_all(b"]")
}

/// `,\n`, the indent and the item for each item: each item printed on its own, every line moved right by the
/// indent (JSON strings hold no raw newline, so each `\n` is the printer's own).
fn serialise_chunk<T: Serialize>(items: &[T], indent: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(items.len() * 1024);
    let mut one = Vec::with_capacity(2048);
    for item in items {
        one.clear();
        serde_json::to_writer_pretty(&mut one, item).map_err(io::Error::from)?;
        out.extend_from_slice(b",\n");
        out.extend_from_slice(indent);
        let mut rest = one.as_slice();
        while let Some(newline) = memchr::memchr(b'\n', rest) {
            let (line, after) = rest.split_at(newline + 1);
            out.extend_from_slice(line);
            out.extend_from_slice(indent);
            rest = after;
        }
        out.extend_from_slice(rest);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Resource;

    fn text(write: impl Fn(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        write(&mut out).expect("written");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn an_inventory_is_written_as_the_pretty_printer_writes_it() {
        let mut inv = Inventory::default();
        assert_eq!(
            text(|out| write_inventory(out, &inv)),
            text(|out| super::super::write_json(out, &inv))
        );
        for i in 0..(CHUNK * 2 + 3) {
            let mut r = Resource::new("azurerm_storage_account", format!("sa{i}"), "main.tf", 3);
            // Strings that need escaping, newlines among them, and nested values.
            r.location_expr = Some(format!("\"quoted\"\n\tline {i} \u{1f600} \\ </script>"));
            r.kind = (i % 3 == 0).then(|| "StorageV2".to_string());
            r.uses_secrets = i % 2 == 0;
            inv.resources.push(r);
        }
        inv.region_note = Some("a note".into());
        inv.diagnostics.push(crate::model::Diagnostic::parse_error(
            "x.bicep",
            1,
            2,
            "bad\nthing",
        ));
        for threads in [1, 4] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("thread pool");
            let fast = pool.install(|| text(|out| write_inventory(out, &inv)));
            assert_eq!(fast, text(|out| super::super::write_json(out, &inv)));
        }
    }
}
