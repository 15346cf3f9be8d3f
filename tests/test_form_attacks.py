"""An attacker's suite for the multipart reader of ``POST /compare`` (evalgraph.web.forms): whatever the body, the
reader gives back exactly the parts that were sent, in order, or refuses with 400 / 415 — never another exception,
never more than ``MAX_PARTS`` parts. Generated (hypothesis) and hand-picked."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalgraph.errors import ApiError
from evalgraph.web.forms import MAX_PARTS, parts

BOUNDARY = "evalgraph-test-7Yq"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"
NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-0123456789", min_size=1, max_size=12)
FILENAMES = st.none() | st.text(alphabet="abcdefghijklmnopqrstuvwxyz._-0123456789", min_size=1, max_size=20)


def encode(fields: list[tuple[str, str | None, bytes]], boundary: str = BOUNDARY) -> bytes:
    out = b""
    for name, filename, data in fields:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
        out += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode()
        out += b"Content-Type: application/octet-stream\r\n" if filename is not None else b""
        out += b"\r\n" + data + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


def read(body: bytes, content_type: str = CONTENT_TYPE) -> list[tuple[str, str | None, bytes]] | int:
    """The parts read, or the status of the refusal."""
    try:
        return [(p.name, p.filename, p.data) for p in parts(body, content_type, "en")]
    except ApiError as exc:
        return exc.http_status


# Contents that look like the boundary's start, line ends and dashes: what a decoder has to hold back and give again.
TRICKY = st.lists(st.sampled_from([b"\r\n", b"--", b"-", b"\r", b"\n", b"--evalgraph-test", b"x", b"\x00", b"\xff"]),
                  max_size=40).map(b"".join)  # fmt: skip
CONTENTS = st.binary(max_size=300) | TRICKY


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(NAMES, FILENAMES, CONTENTS), min_size=0, max_size=8))
def test_what_is_sent_is_what_is_read(fields: list[tuple[str, str | None, bytes]]) -> None:
    body = encode(fields)
    if any(f"\r\n--{BOUNDARY}".encode() in b"\r\n" + data for _, _, data in fields):
        return  # a content holding the delimiter is not a valid encoding of these fields
    assert read(body) == fields


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(NAMES, FILENAMES, CONTENTS), min_size=1, max_size=4), st.data())
def test_a_damaged_body_is_read_or_refused_with_400(fields: list[tuple[str, str | None, bytes]], data: st.DataObject) -> None:
    body = bytearray(encode(fields))
    cut = data.draw(st.integers(0, len(body)))
    damage = data.draw(st.sampled_from(["truncate", "insert", "flip"]))
    if damage == "truncate":
        del body[cut:]
    elif damage == "insert":
        body[cut:cut] = data.draw(st.binary(min_size=1, max_size=20) | TRICKY)
    elif cut < len(body):
        body[cut] ^= 0xFF
    outcome = read(bytes(body))
    assert outcome == 400 or (isinstance(outcome, list) and len(outcome) <= MAX_PARTS)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=500))
def test_any_bytes_are_read_or_refused_with_400(body: bytes) -> None:
    outcome = read(body)
    assert outcome == 400 or isinstance(outcome, list)


@given(st.text(max_size=60))
def test_a_content_type_that_is_not_multipart_with_a_boundary_is_415(content_type: str) -> None:
    if content_type.strip().lower().startswith("multipart/form-data") and "boundary=" in content_type:
        return
    assert read(encode([("technology", None, b"BoneView")]), content_type) == 415


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (encode([("f", None, b"x")] * MAX_PARTS), MAX_PARTS),  # the most parts a form may have
        (encode([("f", None, b"x")] * (MAX_PARTS + 1)), 400),  # one more: refused, not read
        (encode([("dossier", "a.yaml", b"\r\n-" * 100_000)]), 1),  # 300 kB of would-be delimiters, read whole
        (encode([("dossier", "a.yaml", b"x")])[:-4], 400),  # no closing boundary
        (b"", 400),
        (b"--" + BOUNDARY.encode() + b"\r\n" + b"Content-Disposition: form-data\r\n" * 10_000, 400),  # headers only
    ],
    ids=["max-parts", "one-part-too-many", "delimiter-lookalikes", "unclosed", "empty", "endless-headers"],
)
def test_hand_picked_bodies(body: bytes, expected: int) -> None:
    outcome = read(body)
    assert (len(outcome) if isinstance(outcome, list) else outcome) == expected
    if isinstance(outcome, list) and expected == 1:
        assert outcome[0][2] == b"\r\n-" * 100_000
