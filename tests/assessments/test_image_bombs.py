"""Decompression bombs: an image that claims more pixels than Pillow will open is refused with
the usual message on the form, never a server error; nothing is saved."""

import struct
import zlib

import pytest

from assessments.images import ImageProblem, inspect_image
from assessments.models import Figure
from tests.assessments.test_figures import figures_question, post_figure, upload  # noqa: F401


def png_header(width: int, height: int) -> bytes:
    """A PNG that says it is ``width`` x ``height``: its header, one empty data chunk, the end.
    Pillow reads only the header to know the size, so no memory is spent on the pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


# 400 million pixels: Pillow raises DecompressionBombError; 100 million: it warns
# (DecompressionBombWarning), which must not slip through either.
@pytest.mark.parametrize("size", [(20000, 20000), (10000, 10000)])
def test_a_decompression_bomb_is_refused_as_too_many_pixels(size):
    with pytest.raises(ImageProblem, match="too many pixels"):
        inspect_image(upload("bomb.png", png_header(*size)))


def test_a_decompression_bomb_uploaded_as_a_figure_is_a_form_error(
    client,
    assessment,
    figures_question,  # noqa: F811
    lead_of_org_a,
):
    client.force_login(lead_of_org_a)
    response = post_figure(
        client, assessment, figures_question, "bomb.png", png_header(20000, 20000)
    )
    assert response.status_code == 400
    assert "The image has too many pixels. Save it smaller and try again." in (
        response.content.decode()
    )
    assert not Figure.objects.exists()
