"""Task-book (任务分解表) import: read a file, build a validated preview, apply it all-or-nothing.

limits    file size, archive (zip bomb), row, cell and merged-range limits, checked before and while reading
readers   xlsx / csv / docx / pasted text -> blocks of rows of cells
headers   header synonyms and header-row detection
sections  headings, numbering, codes
units     unit lists -> units, groups or unknown names
suggest   ranked guesses for a name that matched nothing
people    leader and person cells -> people, posts, or the cell as written
deadlines deadline and schedule cells -> dates and milestones
book      rows -> a preview of tasks with warnings and errors (resolve, assignees: one row at a time)
apply     the preview -> tasks, through the actions, in one transaction
"""
