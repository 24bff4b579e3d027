"""The demo partnership: Hull's real plan register with its boards, meetings, risks,
milestones, figures, SEF, EHC plan audits and the voice of families, built by `lapis demo`
through each app's own importers and actions.

One module a feature (`governance`, `risks`, `timeline`, `scorecard`, `inclusion`, `sef`,
`quality`, `voice`), each with a `load` (or `load_demo`) that running again changes nothing;
their files are in `data/`. This app sits at the top layer: it may import any app, and no app
imports it (tests aside).
"""
