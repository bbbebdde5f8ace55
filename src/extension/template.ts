/** The notebook `Casebook: New Notebook` creates: small, valid, and showing each cell kind. */
export const NEW_NOTEBOOK_TEMPLATE = `---
title: New investigation
sources:
  # name: path relative to this notebook (JSONL, .jsonl.gz, CSV/TSV or text lines)
  auth: data/auth.jsonl
---

# New investigation

State the question, who claims what, and which logs can settle it.

\`\`\`kql #first-look
auth
| take 10
\`\`\`
`;
