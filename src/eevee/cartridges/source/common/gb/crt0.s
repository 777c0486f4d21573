;; Eevee Game Boy runtime start-up (sdasgb syntax).
;; Interrupt vectors, the cartridge header area (filled in by header.py), RAM
;; clearing, C data initialisation, the vblank interrupt and a call to main.
;; The vblank and LCD STAT (LY=LYC) handlers only count; C waits for them with HALT
;; (gb.h): vblank for VRAM work, then a chosen line for the game logic, so that a
;; frame's logic never straddles the end of an emulator frame.

        .module crt0
        .globl  _main
        .globl  _vbl_count
        .globl  _lyc_count

        .area   _HEADER (ABS)

        .org    0x00
        ret
        .org    0x08
        ret
        .org    0x10
        ret
        .org    0x18
        ret
        .org    0x20
        ret
        .org    0x28
        ret
        .org    0x30
        ret
        .org    0x38
        ;; rst 0x38 is what a jump into empty (0xFF) ROM executes: stop there
        di
1$:     halt
        nop
        jr      1$

        ;; 0x40 vblank: count frames, nothing else
        .org    0x40
        jp      vblank_isr
        .org    0x48            ; LCD STAT (LY=LYC only)
        jp      stat_isr
        .org    0x50            ; timer
        reti
        .org    0x58            ; serial
        reti
        .org    0x60            ; joypad
        reti

        .org    0x68
vblank_isr:
        push    af
        push    hl
        ld      hl, #_vbl_count
        inc     (hl)
        pop     hl
        pop     af
        reti

stat_isr:
        push    af
        push    hl
        ld      hl, #_lyc_count
        inc     (hl)
        pop     hl
        pop     af
        reti

        ;; 0x100 entry point, then the header (0x104..0x14F): logo left blank,
        ;; title, sizes and checksums written by the Python build.
        .org    0x100
        nop
        jp      init
        .org    0x104
        .ds     0x30            ; logo area (not shipped)
        .ds     0x0B            ; title
        .ds     0x04            ; manufacturer code
        .db     0x00            ; CGB flag: DMG only
        .db     0x00, 0x00      ; new licensee
        .db     0x00            ; SGB flag
        .db     0x00            ; cartridge type: ROM only
        .db     0x00            ; ROM size
        .db     0x00            ; RAM size
        .db     0x01            ; destination: non-Japanese
        .db     0x33            ; old licensee: see new
        .db     0x00            ; version
        .db     0x00            ; header checksum
        .dw     0x0000          ; global checksum

        .org    0x150
init:
        di
        ld      sp, #0xE000
        ;; clear work RAM C000..DFFF (the stack is above it; nothing to keep)
        ld      hl, #0xC000
        ld      bc, #0x2000
        xor     a
2$:     ld      (hl+), a
        dec     bc
        ld      a, b
        or      c
        ld      a, #0
        jr      nz, 2$
        ;; clear high RAM FF80..FFFE
        ld      hl, #0xFF80
        ld      c, #0x7F
3$:     ld      (hl+), a
        dec     c
        jr      nz, 3$
        ;; explicitly initialised globals: copy _INITIALIZER (ROM) to _INITIALIZED
        ld      de, #s__INITIALIZED
        ld      hl, #s__INITIALIZER
        ld      bc, #l__INITIALIZER
4$:     ld      a, b
        or      c
        jr      z, 5$
        ld      a, (hl+)
        ld      (de), a
        inc     de
        dec     bc
        jr      4$
5$:
        call    gsinit
        ;; vblank interrupt, and LCD STAT for LY=LYC (line set by the game in rLYC)
        ld      a, #0x40
        ldh     (0x41), a       ; STAT: interrupt on LY=LYC
        ld      a, #0x04
        ldh     (0x45), a       ; LYC = 4 by default
        xor     a
        ldh     (0x0F), a       ; IF
        ld      a, #0x03
        ldh     (0xFF), a       ; IE
        ei
        call    _main
6$:     halt
        nop
        jr      6$

        ;; Segment order for the linker.
        .area   _HOME
        .area   _CODE
        .area   _INITIALIZER
        .area   _GSINIT
        .area   _GSFINAL
        .area   _DATA
        .area   _INITIALIZED
        .area   _BSEG
        .area   _BSS
        .area   _HEAP

        .area   _GSINIT
gsinit::
        .area   _GSFINAL
        ret

        .area   _DATA
_vbl_count::
        .ds     1
_lyc_count::
        .ds     1
