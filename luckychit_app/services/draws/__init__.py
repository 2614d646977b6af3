"""A month's draw or auction, from the published commitment to the settled books (DESIGN.md §4).

The modules import one way: `draw_rows`, `ticket_states`, `entropy`, `presence` and `animation` are
the shared parts; `settling` books a decided month (lucky draw or auction); `conducting` runs a lucky
draw; `auctions` takes bids and closes an auction; `auction_closer` closes auctions at their time;
`draw_views` are the read models, proofs and minutes the pages and downloads show.

May import: the foundation modules, `groups` (terms, the next month's opening), `money` (ledger,
dues, allocation), `messages.notifications`, verify (the fair-draw math).
"""
