//! Counts that agree with their nouns: "1 service", "3 services". Real templates often deploy one service
//! or reference one existing resource, and "1 services" reads as a bug.

/// `n` followed by `one` when `n` is 1, else by `many`.
///
/// ```
/// use azengage::plural::counted;
/// assert_eq!(counted(1, "region", "regions"), "1 region");
/// assert_eq!(counted(0, "repository", "repositories"), "0 repositories");
/// ```
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
