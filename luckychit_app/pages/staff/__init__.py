"""Pages of a company's staff (collection agents, clerks, branch managers, accountants), phone first
inside `staff_shell`: the desk with today's collection list (/s), cash in hand and hand-overs, and
the branch. The owner may use them too; what each role sees is decided by the services."""
