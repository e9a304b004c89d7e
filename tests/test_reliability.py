"""Reliability defects of issue 19 outside the web pages: deep criteria trees (R3), the
port probe after a restart (R5), each built in the test."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys

import pytest

from reportgen import config
from reportgen.web.server import port_free
from tests.conftest import ROOT, SAMPLE

LAST = """[[criteria]]
key = "moi_truong"
label = "Môi trường tổ chức và Chính sách"
max = 10
"""


def chain(depth: int, inline: bool) -> str:
    """The 2019 sample's last criterion as a chain `depth` levels deep (10 points at the
    bottom), as TOML table headers or as one inline table."""
    if inline:
        node = f'max = 10, key = "c{depth}", label = "Mức {depth}"'
        for level in range(depth - 1, 0, -1):
            node = f'key = "c{level}", label = "Mức {level}", items = [{{{node}}}]'
        return f"[[criteria]]\n{node.replace(', ', chr(10), 2)}\n"
    blocks = []
    for level in range(1, depth + 1):
        header = ".".join(["criteria", *["items"] * (level - 1)])
        bottom = "max = 10\n" if level == depth else ""
        blocks.append(f'[[{header}]]\nkey = "c{level}"\nlabel = "Mức {level}"\n{bottom}')
    return "\n".join(blocks)


def assessment_with(tmp_path, tree: str):
    folder = tmp_path / "dot"
    shutil.copytree(SAMPLE, folder)
    path = folder / "assessment.toml"
    text = path.read_text(encoding="utf-8")
    assert LAST in text
    path.write_text(text.replace(LAST, tree), encoding="utf-8")
    return folder


def validate(folder) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reportgen", "validate", str(folder), "--out", str(folder / "o")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


@pytest.mark.parametrize(
    "depth, inline, said",
    [
        (200, True, "lồng bảng và danh sách quá sâu"),
        (500, False, "lồng bảng và danh sách quá sâu"),
        (config.MAX_TREE_DEPTH + 1, False, f"sâu {config.MAX_TREE_DEPTH + 1} tầng"),
    ],
    ids=["200 levels inline", "500 levels of table headers", "one level too many"],
)
def test_a_criteria_tree_too_deep_is_a_config_error_not_a_traceback(tmp_path, depth, inline, said):
    done = validate(assessment_with(tmp_path, chain(depth, inline)))
    assert done.returncode == 2, done.stderr[-2000:]
    output = done.stdout + done.stderr
    assert "Traceback" not in output and said in output


def test_a_tree_as_deep_as_allowed_is_read(tmp_path):
    folder = assessment_with(tmp_path, chain(config.MAX_TREE_DEPTH, inline=False))
    sets = config.load(folder).sets
    assert max(d for s in sets for d, _ in s.nodes) == config.MAX_TREE_DEPTH


def test_the_port_is_free_again_while_old_connections_wait(tmp_path):
    """A server stopped with connections open leaves them in TIME_WAIT for a minute; the
    probe binds as uvicorn does (SO_REUSEADDR) and does not call the port busy."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn listens
    server.bind(("127.0.0.1", 0))
    port = server.getsockname()[1]
    server.listen()
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = server.accept()
    accepted.close()  # the server's side closes first: its end waits in TIME_WAIT
    server.close()
    client.close()
    assert port_free("127.0.0.1", port)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert not port_free("127.0.0.1", taken.getsockname()[1])


# --- R9: one key, one criterion, one column of ket-qua.csv ----------------------------------

DA_NANG = ROOT / "samples" / "da-nang-2025"


def test_two_sets_with_one_key_for_different_criteria_are_refused():
    text = (DA_NANG / "assessment.toml").read_text(encoding="utf-8")
    second = text.index('key = "the_che"', text.index('key = "the_che"') + 1)
    label = text.index("label = ", second)
    end = text.index("\n", label)
    changed = text[:label] + 'label = "Chính sách số"' + text[end:]
    with pytest.raises(config.ConfigError) as refused:
        config.parse(changed, DA_NANG / "assessment.toml")
    (line,) = [p for p in refused.value.problems if "the_che" in p]
    assert "'Thể chế số'" in line and "'Chính sách số'" in line and "ket-qua.csv" in line


def test_sets_sharing_a_key_for_one_criterion_with_other_maxima_are_fine():
    sets = config.load(DA_NANG).sets
    maxima = {c.max for s in sets for _, c in s.nodes if c.key == "the_che"}
    assert len(maxima) == 2  # one column, "Thể chế số", out of 100 or 50 by set
