"""QR codes drawn on the server as SVG (no network, no script), for the authenticator set-up page."""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg


def qr_svg_data_uri(text: str) -> str:
    """A data: URI of an SVG QR code for `text`, usable as an <img> source under the portal's CSP."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=4)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
