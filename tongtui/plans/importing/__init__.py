"""Task-book (任务分解表) import: read a file, build a validated preview, apply it all-or-nothing.

readers   xlsx / csv / docx / pasted text -> blocks of rows of cells
headers   header synonyms and header-row detection
sections  headings, numbering, codes
units     unit lists -> units, groups or unknown names
people    leader and person cells -> people
deadlines deadline and schedule cells -> dates and milestones
book      rows -> a preview of tasks with warnings and errors
apply     the preview -> tasks, through the actions, in one transaction
"""
