# tests/scenarios/doc_table.py - a table of the docs that a test runs, read where it stands
# (the scenario on the target; the test, to know what to expect). MIT licence, see LICENSE.


def doc_table(path, marker):
    # The rows between the "<!-- marker" and "<!-- /marker" lines of a Markdown file, each
    # "| `a` | `b` |" row as the list of its cells ["a", "b"].
    rows = []
    inside = False
    with open(path) as f:
        for ln in f:
            if ln.startswith("<!-- " + marker):
                inside = True
            elif ln.startswith("<!-- /" + marker):
                inside = False
            elif inside and ln.startswith("| `"):
                rows.append(ln.strip()[3:-3].split("` | `"))
    return rows
