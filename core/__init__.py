"""The bottom layer every app may import: domain errors, the append-only history base, and the
small helpers every page uses (downloads, error messages). It imports no app of the project
(docs/decisions/0008-layers-and-roles.md)."""
