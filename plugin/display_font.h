/* SPDX-License-Identifier: ISC */
/* The inline display's bitmap font: 5x7 pixels a glyph, printable ASCII. */
#ifndef ST_DISPLAY_FONT_H
#define ST_DISPLAY_FONT_H

#include <stdint.h>

#define ST_FONT_W 5  ///< Pixels of a glyph's width
#define ST_FONT_H 7  ///< Pixels of a glyph's height

/* The rows of glyph `c` (bit 4 the leftmost pixel); '?' for a byte outside
   printable ASCII. */
const uint8_t* st_font_glyph(unsigned char c);

#endif
