/* Eevee Game Boy hardware definitions (sdcc -msm83). */
#ifndef EEVEE_GB_H
#define EEVEE_GB_H

typedef unsigned char u8;
typedef unsigned int u16; /* sdcc: int is 16 bits */
typedef signed char s8;
typedef signed int s16;

#define REG(a) (*(volatile u8 *)(a))

#define rP1    REG(0xFF00)
#define rIF    REG(0xFF0F)
#define rLCDC  REG(0xFF40)
#define rSTAT  REG(0xFF41)
#define rSCY   REG(0xFF42)
#define rSCX   REG(0xFF43)
#define rLY    REG(0xFF44)
#define rLYC   REG(0xFF45)
#define rDMA   REG(0xFF46)
#define rBGP   REG(0xFF47)
#define rOBP0  REG(0xFF48)
#define rOBP1  REG(0xFF49)
#define rWY    REG(0xFF4A)
#define rWX    REG(0xFF4B)
#define rIE    REG(0xFFFF)
#define rNR52  REG(0xFF26)

#define LCDC_ON       0x80
#define LCDC_WIN_9C00 0x40
#define LCDC_WIN_ON   0x20
#define LCDC_TILES_8000 0x10
#define LCDC_BG_9C00  0x08
#define LCDC_OBJ_16   0x04
#define LCDC_OBJ_ON   0x02
#define LCDC_BG_ON    0x01

#define VRAM_TILES ((volatile u8 *)0x8000)
#define VRAM_MAP0  ((volatile u8 *)0x9800)
#define VRAM_MAP1  ((volatile u8 *)0x9C00)
#define OAM        ((volatile u8 *)0xFE00)

/* Joypad bits as returned by read_keys() (same order as the GBA's KEYINPUT). */
#define J_A      0x01
#define J_B      0x02
#define J_SELECT 0x04
#define J_START  0x08
#define J_RIGHT  0x10
#define J_LEFT   0x20
#define J_UP     0x40
#define J_DOWN   0x80

/* vram.s: copy 20 bytes from vram_src to vram_dst (fast enough for vblank). */
extern const u8 *vram_src;
extern volatile u8 *vram_dst;
void copy_row20(void);

/* Incremented by the vblank interrupt (crt0.s). */
extern volatile u8 vbl_count;

/* Sleep with HALT until the next vblank interrupt (never polls LY). */
static inline void wait_vblank(void) {
    u8 c = vbl_count;
    while (vbl_count == c) {
        __asm__("halt\n\tnop");
    }
}

/* Incremented by the LCD STAT interrupt when LY reaches rLYC (4 unless changed). */
extern volatile u8 lyc_count;

/* Sleep with HALT until the display reaches line rLYC. */
static inline void wait_line(void) {
    u8 c = lyc_count;
    while (lyc_count == c) {
        __asm__("halt\n\tnop");
    }
}

/* Pressed buttons, 1 = pressed. */
static inline u8 read_keys(void) {
    u8 d, b;
    rP1 = 0x20; /* select the d-pad */
    d = rP1; d = rP1;
    rP1 = 0x10; /* select the buttons */
    b = rP1; b = rP1; b = rP1; b = rP1;
    rP1 = 0x30;
    return (u8)(~(((d & 0x0F) << 4) | (b & 0x0F)));
}

#endif
