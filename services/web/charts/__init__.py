"""Charts drawn on the server as SVG: no JavaScript, nothing fetched from elsewhere.

Every chart is labelled for screen readers (role="img", a title and a description) and sits
beside a table with the same figures, which is also what a board pack's CSV holds.
"""
