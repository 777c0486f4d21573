;; Fast copies for the vblank window: sdcc's C loops are too slow to move whole
;; background rows while VRAM is accessible.

        .module vram
        .globl  _vram_src
        .globl  _vram_dst

        .area   _DATA
_vram_src::
        .ds     2
_vram_dst::
        .ds     2

        .area   _CODE
;; void copy_row20(void): copy 20 bytes from vram_src to vram_dst.
;; The destination must not cross a 256-byte page (a map row never does).
_copy_row20::
        ld      hl, #_vram_dst
        ld      a, (hl+)
        ld      e, a
        ld      d, (hl)
        ld      hl, #_vram_src
        ld      a, (hl+)
        ld      h, (hl)
        ld      l, a
        .rept   20
        ld      a, (hl+)
        ld      (de), a
        inc     e
        .endm
        ret
