#!/usr/bin/env python3
"""A long scanned PDF for bench/ocr.sh: the three pages of the scan fixture
(tests/fixtures/pdf/make_ocr_pdf.py) repeated to N pages, image only.

Run: python3 bench/long_scan.py PAGES OUT.pdf
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "pdf"))
import make_ocr_pdf  # noqa: E402


def main():
    pages, out = int(sys.argv[1]), sys.argv[2]
    images = make_ocr_pdf.page_images()
    pdf = make_ocr_pdf.Pdf()
    for i in range(pages):
        make_ocr_pdf.image_page(pdf, images[i % len(images)])
    pdf.write(out)


if __name__ == "__main__":
    main()
