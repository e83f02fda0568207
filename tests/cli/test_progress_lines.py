"""Off a terminal, a long run prints a progress line every few seconds, also while one step
(a merge) reports nothing new; a short run prints none."""

import time

from crosswire.index.model import Progress
from crosswire.tui.cli import progress
from crosswire.tui.cli.progress import ProgressBar, line


def test_lines_keep_coming_while_a_step_reports_nothing(capsys):
    with ProgressBar(False, lines=True, every=0.05) as bar:
        bar.update(Progress("merge", 1, 4))
        time.sleep(0.4)  # one slow merge step: no new report meanwhile
        bar.update(Progress("merge", 3, 4))
        time.sleep(0.2)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) >= 4
    assert lines[0].startswith("merging index segments 1/4 (25%)")
    assert lines[-1].startswith("merging index segments 3/4 (75%)")


def test_a_run_shorter_than_one_line_prints_nothing(capsys):
    with ProgressBar(False, lines=True, every=5.0) as bar:
        bar.update(Progress("text", 10, 10))
    assert capsys.readouterr().err == ""


def test_a_line_has_the_count_rate_and_time():
    text = line(Progress("index", 4000, 10000), (100.0, 0), 133.0)
    assert text == "indexing 4,000/10,000 (40%) 121/s, 33 s"
    assert line(Progress("text", 7, None), None, 0.0) == "storing text 7, 0 s"
    assert progress.LINE_EVERY <= 10
