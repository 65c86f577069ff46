//! Keeping a Markdown body under GitHub's size limit.
//!
//! GitHub refuses a comment or issue body over 65,536 characters, and a failed post loses the whole report. The
//! body is built from parts: fixed ones (small and bounded: title, score, timeline, chart, footer) and capped
//! ones (lists that grow with the repository: suggestions, services, resources, diagnostics). Fixed parts are
//! measured first; the space left is handed to the capped parts in priority order; each keeps as many rows as
//! fit and says how many it left out, or is dropped whole when not even its heading fits. A note near the end
//! names what was cut. Sizes are measured in bytes, which is never less than GitHub's character count.

/// GitHub's limit on a comment or issue body, in characters.
pub const GITHUB_BODY_LIMIT: usize = 65_536;

/// Space kept for the final truncation note.
const NOTE_RESERVE: usize = 600;

/// A part whose rows may be cut: `head` and `tail` are kept whole; rows are kept from the start.
#[derive(Debug, Clone, Default)]
pub struct Section {
    /// What a reader calls this part (named in the truncation note).
    pub name: &'static str,
    /// Heading and table header (ends with a newline).
    pub head: String,
    /// One entry per row or item (each ends with a newline).
    pub rows: Vec<String>,
    /// What closes the part (`</details>`, a blank line).
    pub tail: String,
}

/// One part of a body, in document order.
#[derive(Debug, Clone)]
pub enum Part {
    /// Always kept.
    Fixed(String),
    /// Cut to fit; a lower `priority` number gets space first.
    Capped {
        /// Lower is served first.
        priority: u8,
        /// The content.
        section: Section,
    },
}

/// What happened to a capped section.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fitted {
    Whole(String),
    Cut(String),
    Dropped,
}

impl Section {
    fn full_len(&self) -> usize {
        self.head.len() + self.rows.iter().map(String::len).sum::<usize>() + self.tail.len()
    }

    fn fit(&self, cap: usize) -> Fitted {
        if self.full_len() <= cap {
            return Fitted::Whole(format!("{}{}{}", self.head, self.rows.concat(), self.tail));
        }
        // The note's length depends on the count; the widest count is the total.
        let note_len = cut_note(self.rows.len()).len();
        let fixed = self.head.len() + self.tail.len() + note_len;
        if fixed > cap {
            return Fitted::Dropped;
        }
        let mut text = self.head.clone();
        let mut used = fixed;
        let mut kept = 0;
        for row in &self.rows {
            if used + row.len() > cap {
                break;
            }
            used += row.len();
            text.push_str(row);
            kept += 1;
        }
        if kept == 0 {
            return Fitted::Dropped;
        }
        text.push_str(&cut_note(self.rows.len() - kept));
        text.push_str(&self.tail);
        Fitted::Cut(text)
    }
}

/// The note after a cut list. It starts with a blank line so that it ends a table instead of becoming a row.
fn cut_note(left_out: usize) -> String {
    format!(
        "\n_{left_out} more not shown to stay under GitHub's 65,536-character limit; \
         `azengage scan --format json` lists everything._\n"
    )
}

/// Join `parts` into a body of at most `limit` bytes.
pub fn assemble(parts: &[Part], limit: usize) -> String {
    let fixed: usize = parts
        .iter()
        .map(|p| match p {
            Part::Fixed(s) => s.len(),
            Part::Capped { .. } => 0,
        })
        .sum();
    let mut left = limit.saturating_sub(fixed + NOTE_RESERVE);
    let mut order: Vec<(u8, usize)> = parts
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match p {
            Part::Capped { priority, .. } => Some((*priority, i)),
            Part::Fixed(_) => None,
        })
        .collect();
    order.sort();
    let mut fitted: Vec<Option<Fitted>> = vec![None; parts.len()];
    for (_, i) in order {
        if let Some(Part::Capped { section, .. }) = parts.get(i) {
            let f = section.fit(left);
            if let Fitted::Whole(s) | Fitted::Cut(s) = &f {
                left = left.saturating_sub(s.len());
            }
            if let Some(slot) = fitted.get_mut(i) {
                *slot = Some(f);
            }
        }
    }
    let (mut cut, mut dropped) = (Vec::new(), Vec::new());
    let mut body = String::new();
    let last = parts.len().saturating_sub(1);
    for (i, (part, fit)) in parts.iter().zip(&fitted).enumerate() {
        if i == last && matches!(part, Part::Fixed(_)) {
            // The note goes before a closing footer, so it is read with the content it is about.
            push_note(&mut body, &cut, &dropped);
            (cut, dropped) = (Vec::new(), Vec::new());
        }
        match (part, fit) {
            (Part::Fixed(s), _) => body.push_str(s),
            (Part::Capped { .. }, Some(Fitted::Whole(s))) => body.push_str(s),
            (Part::Capped { section, .. }, Some(Fitted::Cut(s))) => {
                cut.push(section.name);
                body.push_str(s);
            }
            (Part::Capped { section, .. }, _) => dropped.push(section.name),
        }
    }
    push_note(&mut body, &cut, &dropped);
    hard_cut(body, limit)
}

fn push_note(body: &mut String, cut: &[&str], dropped: &[&str]) {
    if !cut.is_empty() || !dropped.is_empty() {
        body.push_str(&summary_note(cut, dropped));
    }
}

fn summary_note(cut: &[&str], dropped: &[&str]) -> String {
    let mut note = String::from(
        "> [!NOTE]\n> This report was shortened to stay under GitHub's 65,536-character limit.",
    );
    if !cut.is_empty() {
        note.push_str(&format!(" Cut: {}.", cut.join(", ")));
    }
    if !dropped.is_empty() {
        note.push_str(&format!(" Left out: {}.", dropped.join(", ")));
    }
    note.push_str(" Run `azengage scan --format json` for the full data.\n\n");
    note
}

/// Last resort when even the fixed parts are too long: cut at a character boundary and say so.
fn hard_cut(mut body: String, limit: usize) -> String {
    if body.len() <= limit {
        return body;
    }
    const NOTE: &str = "\n\n_(cut to stay under GitHub's 65,536-character limit)_\n";
    let mut end = limit.saturating_sub(NOTE.len());
    while end > 0 && !body.is_char_boundary(end) {
        end -= 1;
    }
    body.truncate(end);
    body.push_str(NOTE);
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(name: &'static str, rows: usize, row_len: usize) -> Section {
        Section {
            name,
            head: format!("### {name}\n\n| x |\n|---|\n"),
            rows: (0..rows)
                .map(|_| format!("| {} |\n", "a".repeat(row_len)))
                .collect(),
            tail: "\n".into(),
        }
    }

    #[test]
    fn small_bodies_are_untouched() {
        let parts = vec![
            Part::Fixed("# Title\n".into()),
            Part::Capped {
                priority: 1,
                section: list("resources", 3, 10),
            },
        ];
        let body = assemble(&parts, GITHUB_BODY_LIMIT);
        assert!(body.starts_with("# Title\n### resources"));
        assert!(!body.contains("shortened"));
        assert_eq!(body.matches("| aaaaaaaaaa |").count(), 3);
    }

    #[test]
    fn the_higher_priority_list_keeps_its_rows_and_the_rest_is_cut_or_dropped() {
        let parts = vec![
            Part::Fixed("# Title\n".into()),
            Part::Capped {
                priority: 2,
                section: list("resources", 10_000, 40),
            },
            Part::Capped {
                priority: 1,
                section: list("suggestions", 20, 40),
            },
            Part::Capped {
                priority: 3,
                section: list("diagnostics", 10_000, 40),
            },
        ];
        let body = assemble(&parts, 20_000);
        assert!(body.len() <= 20_000, "{}", body.len());
        // Document order is kept even though suggestions were served first.
        let (r, s) = (body.find("### resources"), body.find("### suggestions"));
        assert!(r.is_some() && s.is_some() && r < s);
        assert!(body.contains("more not shown"));
        assert!(body.contains("Cut: resources."));
        assert!(body.contains("Left out: diagnostics."));
        assert!(!body.contains("### diagnostics"));
        let suggestions = &body[s.unwrap_or(0)..];
        assert_eq!(
            suggestions
                .matches(&format!("| {} |", "a".repeat(40)))
                .count(),
            20
        );
    }

    #[test]
    fn a_cut_table_is_ended_by_a_blank_line_before_the_note() {
        let s = list("resources", 100, 10);
        let Fitted::Cut(text) = s.fit(400) else {
            panic!("expected a cut");
        };
        assert!(text.contains("|\n\n_"), "{text}");
        assert!(text.len() <= 400);
    }

    #[test]
    fn oversized_fixed_text_is_hard_cut_on_a_char_boundary() {
        let body = assemble(&[Part::Fixed("é".repeat(40_000))], GITHUB_BODY_LIMIT);
        assert!(body.len() <= GITHUB_BODY_LIMIT);
        assert!(body.ends_with("limit)_\n"));
    }
}
