"""CSV and XLSX import and export of posts (README: "CSV and XLSX import / export").

`reading` turns a file into rows of text, `importing` checks each row with the posts API's own
serializer and rules and writes all of them or none, `jobs` runs large files in the background,
`exporting` writes the same columns back out, and `api` holds the thin views.
"""
