"""How the command line is parsed: the command table, and --library on either side."""

import json
import os
from pathlib import Path

import pytest
from crosswire.tui.cli import main
from crosswire.tui.cli.commands import COMMANDS


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--json", "--library", "{lib}"],
        ["list", "--library={lib}", "--json"],
        ["search", "drone", "--library", "{lib}", "--json"],
        ["search", "--library", "{lib}", "drone", "-Baghdad", "--json"],
        ["entity", "Kazemi", "--library", "{lib}", "--json"],
        ["--library", "{other}", "sources", "--json", "--library", "{lib}"],
    ],
)
def test_library_is_accepted_after_the_command(capsys, seeded, tmp_path, argv):
    other = tmp_path / "other"
    argv = [a.format(lib=seeded, other=other) for a in argv]
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert json.loads(out)
    assert not other.exists(), "the library given last is the one used"
    assert not Path(os.environ["CROSSWIRE_LIBRARY"]).exists(), "the default was not opened"


def test_library_before_the_command_is_kept_when_none_follows(capsys, seeded):
    code, out, _ = run(capsys, "--library", str(seeded), "sources", "--json")
    assert code == 0 and sum(json.loads(out).values()) == 5


def test_every_command_in_the_table_is_in_the_help(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    usage = capsys.readouterr().out
    for command in COMMANDS:
        assert command.name in usage and command.help.split()[0] in usage


def test_a_mistyped_command_lists_every_command_of_the_table(capsys, tmp_path):
    code, _, err = run(capsys, "--library", str(tmp_path / "lib"), "entites")
    assert code == 2
    listed = err.split("commands: ", 1)[1]
    for command in COMMANDS:
        assert command.name in listed


@pytest.mark.parametrize("command", [c.name for c in COMMANDS])
def test_every_command_has_help_that_names_library(capsys, command):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert "--library" in capsys.readouterr().out
