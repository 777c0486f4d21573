;; EEVEE GROVE: fast VRAM copies for the vblank window and the OAM DMA routine.
;; sdcc's C loops are too slow to move map rows and columns while VRAM is accessible.

        .module gvram
        .globl  _vram_src
        .globl  _vram_dst

        .area   _DATA
_g_len::
        .ds     1
_g_stride::
        .ds     1

        .area   _CODE
;; void copy_n(void): copy g_len (1..32) bytes from vram_src to vram_dst.
;; The destination must not cross a 256-byte page (a map row never does).
;; Jumps into an unrolled run of 32 three-byte copies, g_len from its end.
_copy_n::
        ld      hl, #_vram_dst
        ld      a, (hl+)
        ld      e, a
        ld      d, (hl)
        ld      a, (_g_len)
        ld      c, a
        add     a, a
        add     a, c            ; 3 * g_len
        ld      c, a
        ld      hl, #copy_end
        ld      a, l
        sub     a, c
        ld      l, a
        ld      a, h
        sbc     a, #0
        ld      h, a
        push    hl              ; where to start in the run
        ld      hl, #_vram_src
        ld      a, (hl+)
        ld      h, (hl)
        ld      l, a
        ret
        .rept   32
        ld      a, (hl+)
        ld      (de), a
        inc     e
        .endm
copy_end:
        ret

;; void copy_col32(void): copy 32 bytes from vram_src (stride g_stride) down a
;; background map column at vram_dst (stride 32). vram_dst is 0x9800 + column, so the
;; low byte wraps to the column every 8 rows, exactly when the high byte must go up.
_copy_col32::
        ld      a, (_g_stride)
        ld      c, a
        ld      b, #0
        ld      hl, #_vram_dst
        ld      a, (hl+)
        ld      e, a
        ld      d, (hl)
        ld      hl, #_vram_src
        ld      a, (hl+)
        ld      h, (hl)
        ld      l, a
        .rept   4
        .rept   8
        ld      a, (hl)
        ld      (de), a
        add     hl, bc
        ld      a, e
        add     a, #32
        ld      e, a
        .endm
        inc     d
        .endm
        ret

;; void dma_init(void): copy the DMA routine to HRAM (0xFF80), where the CPU can run
;; while a DMA locks the rest of the bus.
_dma_init::
        ld      hl, #dma_code
        ld      de, #0xFF80
        ld      c, #dma_end - dma_code
1$:
        ld      a, (hl+)
        ld      (de), a
        inc     de
        dec     c
        jr      nz, 1$
        ret

;; void oam_dma(void): OAM <- 0xD000..0xD09F (160 cycles of the DMA, waited out in HRAM)
_oam_dma::
        jp      0xFF80

dma_code:
        ld      a, #0xD0
        ldh     (0x46), a
        ld      a, #40
2$:
        dec     a
        jr      nz, 2$
        ret
dma_end:
