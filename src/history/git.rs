//! Git history of IaC files with gix (in progress).
