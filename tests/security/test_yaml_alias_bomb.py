"""Issue 14, finding 3: a YAML alias bomb of about 420 bytes tied up a worker for 17 s (at
depth 8, doubling with each level), even with a read-only token, because the whole alias
graph was walked before permissions were checked.

Now the YAML composer counts what aliases expand to and how deep the document nests, and
refuses past the limits of registry/validate.py before anything is built — before the
bundle is read, let alone its permissions weighed."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sechelp import post_bundle
from typer.testing import CliRunner

from frisat.registry import validate
from frisat.registry.bundle import parse_text
from frisat.registry.errors import Rejected


def alias_bomb(depth: int = 8, width: int = 9) -> str:
    lines = ["format: frisat-bundle/1",
             "decisions: &a0 [" + ", ".join(['"x"'] * width) + "]"]
    for i in range(1, depth + 1):
        lines.append(f"kept: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]"
                     if i == depth else
                     f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines)


def codes(text: str) -> list[str]:
    with pytest.raises(Rejected) as e:
        parse_text(text, "bundt")
    return [x.code for x in e.value.errors]


def test_the_bomb_is_a_few_hundred_bytes_and_is_refused():
    bomb = alias_bomb()
    assert len(bomb) < 600
    assert codes(bomb) == ["too_many_aliases"]


@pytest.mark.django_db
def test_the_api_refuses_the_bomb_as_input_before_weighing_any_permission(token):
    # a viewer may not write at all: a 403 would mean the permissions were weighed first
    r = post_bundle(alias_bomb(), token["viewer"])
    assert r.status_code == 400
    assert r.json()["errors"][0]["code"] == "too_many_aliases"


@pytest.mark.django_db
def test_the_cli_refuses_the_bomb(tmp_path):
    from frisat.cli import app

    path = tmp_path / "bombe.yaml"
    path.write_text(alias_bomb())
    res = CliRunner().invoke(app, ["load", str(path)])
    assert res.exit_code == 2
    assert "too_many_aliases" in res.output


def test_aliases_that_expand_to_little_are_fine():
    doc = parse_text("format: frisat-bundle/1\nx: &a [1, 2]\ny: *a\nz: *a\n")
    assert doc["z"] == [1, 2]


def test_the_limit_is_on_what_aliases_expand_to():
    width = 100
    small = "\n".join(["a: &a [" + ", ".join(["1"] * width) + "]",
                       *(f"b{i}: *a" for i in range(validate.MAX_ALIAS_NODES // (width + 1)))])
    parse_text(small)
    too_much = small + "\n" + "\n".join(f"c{i}: *a" for i in range(2))
    assert codes(too_much) == ["too_many_aliases"]


def test_a_self_referring_alias_is_refused():
    assert codes("a: &a [1, *a]") == ["alias"]


def test_nesting_is_bounded_without_exhausting_any_stack():
    """100,000 nested lists overflowed libyaml's C stack (a crashed worker); run in a child
    process so that a crash fails this test instead of ending the test run."""
    script = ("from frisat.registry.bundle import parse_text\n"
              "from frisat.registry.errors import Rejected\n"
              "for text in ('[' * 100000 + ']' * 100000, '- ' * 100000 + 'x',\n"
              "             '{\"a\": ' * 100000 + '1' + '}' * 100000):\n"
              "    try:\n"
              "        parse_text(text)\n"
              "    except Rejected as e:\n"
              "        print(e.errors[0].code)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-500:]
    assert out.stdout.split() == ["too_deep", "too_deep", "too_deep"]


def test_only_safe_yaml_tags():
    assert codes("!!python/object/apply:os.system ['echo x']") == ["format"]
    assert codes("a: !!binary aGVsbG8=") == ["invalid"]
    assert codes("a: !!set {x, y}") == ["invalid"]
