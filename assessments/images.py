"""Checking uploaded figures by their content, never by their name."""

import warnings
from dataclasses import dataclass

ALLOWED_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
MAX_PIXELS = 40_000_000
TOO_MANY_PIXELS = "The image has too many pixels. Save it smaller and try again."


class ImageProblem(Exception):
    pass


@dataclass(frozen=True)
class ImageInfo:
    extension: str
    width: int
    height: int


def inspect_image(upload) -> ImageInfo:
    """Open the file as an image and check its real format and size."""
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        # Pillow refuses an image that claims over twice its own pixel limit and warns above
        # the limit itself; both are far beyond ours, so the warning is an error here too.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ImageProblem(TOO_MANY_PIXELS)
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(TOO_MANY_PIXELS) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageProblem(
            "The file is not an image the portal can read. Upload a PNG, JPEG, GIF or WebP file."
        ) from None
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise ImageProblem(
            f"{image_format} images cannot be used. Upload a PNG, JPEG, GIF or WebP file."
        )
    return ImageInfo(ALLOWED_FORMATS[image_format], width, height)
