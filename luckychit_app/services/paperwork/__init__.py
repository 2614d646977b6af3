"""The Chit Funds Act 1982 paperwork of a group (issue 19, items 5-7): the chit agreement built from
the group's frozen terms (`agreement`, s.6, with its PDF), the register of filings with the Registrar
and what is still to file (`registrar`: s.7, s.9, s.10(2), s.18) and the foreman's security
(`security`, s.20).

May import: the foundation modules, `groups.terms` (the frozen terms and the seats taken) and
`money.pdf_fonts` (the PDF fonts of the Indian scripts). `reporting.pending_actions` reads
`registrar.pending_filings`.
"""
