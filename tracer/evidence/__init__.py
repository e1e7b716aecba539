"""Evidence a third party can check without the vault: bundles, timestamp anchors, RFC 3161.

    from tracer.evidence import bundle, anchors, timestamp
    checked = bundle.verify(Path("evidence-stockpro.zip"))      # tracer evidence verify

- `timestamp`: RFC 3161 queries and the validation of a time-stamping authority's answer;
- `anchors`: request an anchor over the ledger's head and import the answer into the ledger;
- `bundle`: write the signed zip that discloses the ledger entries proving one platform's
  canaries and the contacts that reached them, and verify one.

Evidence sits beside reports and above the vault and its ledger; it never imports `reports`
(the report that a bundle carries is rendered by `tracer.reports.filing`, which calls `bundle`).
"""
