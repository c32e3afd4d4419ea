"""PaletteEncoder and encode_frames: indexed PNGs with a palette chosen once, read back by Pillow."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from regcourse.explore import palette
from regcourse.explore.palette import PaletteEncoder, encode_frames


def picture(seed=0, h=40, w=60):
    """A figure-like picture: white, a smooth blue-to-orange band, a few saturated lines."""
    rgba = np.full((h, w, 4), 255, dtype=np.uint8)
    t = np.linspace(0, 1, w)
    rgba[10:30, :, 0] = np.uint8(120 + 120 * t)
    rgba[10:30, :, 1] = np.uint8(160 - 40 * t)
    rgba[10:30, :, 2] = np.uint8(220 - 160 * t)
    rng = np.random.default_rng(seed)
    for row in rng.integers(0, h, 3):
        rgba[row, :, :3] = (0, 114, 178)
    return rgba


def decoded(data: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(data))
    assert image.mode == "P"                        # an indexed PNG
    return np.asarray(image.convert("RGB")).astype(int)


def test_frames_come_back_within_the_colour_cube_step():
    encoder = PaletteEncoder(picture(0))
    later = picture(1)                              # other lines, same kind of colours
    error = np.abs(decoded(encoder(later)) - later[..., :3])
    assert error.max() <= 8                         # 5 bits per channel: half a step of 8, plus the palette's own
    assert (error.max(axis=-1) == 0).mean() > 0.5   # white and the lines exactly


def test_extra_colours_are_kept_though_absent_from_the_first_picture():
    first = picture(0)
    first[..., :3] = 255                            # all white
    red = np.array([[213, 94, 0]])
    later = picture(0)
    later[5:8, 5:50, :3] = red
    without = np.abs(decoded(PaletteEncoder(first)(later))[6, 20] - red[0]).max()
    with_red = np.abs(decoded(PaletteEncoder(first, red)(later))[6, 20] - red[0]).max()
    assert with_red <= 4 < without


def test_bad_input_names_the_argument():
    with pytest.raises(TypeError, match="picture must be an \\(H, W, 4\\) uint8 array"):
        PaletteEncoder(np.zeros((4, 4, 3)))
    with pytest.raises(ValueError, match="extra_colours must be"):
        PaletteEncoder(picture(), np.zeros((2, 5)))
    with pytest.raises(ValueError, match="colours must be <= 256"):
        PaletteEncoder(picture(), colours=300)
    with pytest.raises(TypeError, match="picture must be"):
        PaletteEncoder(picture())(np.zeros((4, 4, 4), dtype=float))


def plte(data: bytes) -> bytes:
    """The PLTE chunk's body of a PNG."""
    at = data.index(b"PLTE")
    return data[at + 4:at + 4 + int.from_bytes(data[at - 4:at], "big")]


def test_encode_frames_shares_one_palette_and_keeps_flat_colours_exact():
    pictures = [picture(seed) for seed in range(5)]
    frames = encode_frames(pictures)
    assert len(frames) == len(pictures) and len({plte(f) for f in frames}) == 1
    for frame, original in zip(frames, pictures):
        error = np.abs(decoded(frame) - original[..., :3])
        assert error.max() <= 8 and error.mean() < 1    # a cube step of 4, plus the palette's own
        assert (error.max(axis=-1) == 0).mean() > 0.5   # white and the lines exactly
        assert (error[0, 0] == 0).all()             # the background


def test_encode_frames_gives_a_colour_of_one_picture_its_own_entry():
    pictures = [picture(0) for _ in range(8)]
    red = np.array([213, 94, 0])
    pictures[-1] = pictures[-1].copy()
    pictures[-1][2:5, 5:50, :3] = red               # only in the last picture
    last = decoded(encode_frames(pictures)[-1])
    assert np.abs(last[3, 20] - red).max() <= 2


def test_encode_frames_bad_input_names_the_argument():
    with pytest.raises(TypeError, match="pictures must be a non-empty list"):
        encode_frames([])
    with pytest.raises(TypeError, match=r"pictures\[1\] must be an \(H, W, 4\) uint8 array"):
        encode_frames([picture(), np.zeros((4, 4, 4))])
    with pytest.raises(ValueError, match="colours must be"):
        encode_frames([picture()], colours=300)


@pytest.mark.parametrize("bits", [palette.FRAME_CUBE_BITS, 5, 8])
def test_a_pixel_falls_in_the_cube_cell_of_its_top_bits(bits):
    rgba = np.random.default_rng(bits).integers(0, 256, size=(7, 11, 4), dtype=np.uint8)
    top = rgba[..., :3].astype(np.intp) >> (8 - bits)
    expected = (top[..., 0] << 2 * bits) | (top[..., 1] << bits) | top[..., 2]
    np.testing.assert_array_equal(palette._cells(rgba, bits), expected)
