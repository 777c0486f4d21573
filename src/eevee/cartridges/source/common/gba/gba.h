/* Eevee GBA hardware definitions: registers, keys, BIOS calls. */
#ifndef EEVEE_GBA_H
#define EEVEE_GBA_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef signed char s8;
typedef signed short s16;
typedef signed int s32;
typedef volatile u16 vu16;
typedef volatile u32 vu32;

#define REG16(a) (*(vu16 *)(a))
#define REG32(a) (*(vu32 *)(a))

#define REG_DISPCNT   REG16(0x04000000)
#define REG_DISPSTAT  REG16(0x04000004)
#define REG_VCOUNT    REG16(0x04000006)
#define REG_BG0CNT    REG16(0x04000008)
#define REG_BG1CNT    REG16(0x0400000A)
#define REG_BG2CNT    REG16(0x0400000C)
#define REG_BG3CNT    REG16(0x0400000E)
#define REG_BG0HOFS   REG16(0x04000010)
#define REG_BG0VOFS   REG16(0x04000012)
#define REG_BG1HOFS   REG16(0x04000014)
#define REG_BG1VOFS   REG16(0x04000016)
#define REG_BG2HOFS   REG16(0x04000018)
#define REG_BG2VOFS   REG16(0x0400001A)
#define REG_BG3HOFS   REG16(0x0400001C)
#define REG_BG3VOFS   REG16(0x0400001E)
#define REG_BLDCNT    REG16(0x04000050)
#define REG_BLDALPHA  REG16(0x04000052)
#define REG_BLDY      REG16(0x04000054)
#define REG_KEYINPUT  REG16(0x04000130)
#define REG_IE        REG16(0x04000200)
#define REG_IF        REG16(0x04000202)
#define REG_IME       REG16(0x04000208)

#define DCNT_MODE0    0x0000
#define DCNT_OBJ_1D   0x0040
#define DCNT_BLANK    0x0080
#define DCNT_BG0      0x0100
#define DCNT_BG1      0x0200
#define DCNT_BG2      0x0400
#define DCNT_BG3      0x0800
#define DCNT_OBJ      0x1000

#define DSTAT_VBL_IRQ 0x0008
#define IRQ_VBLANK    0x0001

/* BGxCNT fields */
#define BG_PRIO(n)    (n)
#define BG_CBB(n)     ((n) << 2)
#define BG_4BPP       0
#define BG_SBB(n)     ((n) << 8)
#define BG_REG_32x32  0x0000
#define BG_REG_64x32  0x4000
#define BG_REG_32x64  0x8000
#define BG_REG_64x64  0xC000

/* KEYINPUT bits (active low in the register) */
#define KEY_A      0x0001
#define KEY_B      0x0002
#define KEY_SELECT 0x0004
#define KEY_START  0x0008
#define KEY_RIGHT  0x0010
#define KEY_LEFT   0x0020
#define KEY_UP     0x0040
#define KEY_DOWN   0x0080
#define KEY_R      0x0100
#define KEY_L      0x0200
#define KEY_MASK   0x03FF

#define MEM_PAL    ((vu16 *)0x05000000)
#define MEM_PAL_OBJ ((vu16 *)0x05000200)
#define MEM_VRAM   ((vu16 *)0x06000000)
#define MEM_OAM    ((vu16 *)0x07000000)

/* Screenblock n (2 KiB each) and charblock n (16 KiB each) in VRAM. */
#define SCREENBLOCK(n) ((vu16 *)(0x06000000 + (n) * 0x800))
#define CHARBLOCK(n)   ((vu16 *)(0x06000000 + (n) * 0x4000))
#define OBJ_TILES      ((vu16 *)0x06010000)

/* OAM attribute helpers */
#define ATTR0_Y(y)       ((y) & 0xFF)
#define ATTR0_HIDE       0x0200
#define ATTR0_SQUARE     0x0000
#define ATTR1_X(x)       ((x) & 0x1FF)
#define ATTR1_HFLIP      0x1000
#define ATTR1_SIZE_8     0x0000
#define ATTR1_SIZE_16    0x4000
#define ATTR2_TILE(t)    ((t) & 0x3FF)
#define ATTR2_PRIO(p)    (((p) & 3) << 10)
#define ATTR2_PAL(p)     (((p) & 15) << 12)

#define RGB15(r, g, b) ((u16)((r) | ((g) << 5) | ((b) << 10)))

/* BIOS: halt until the next vertical blank interrupt (never busy-poll). */
static inline void VBlankIntrWait(void) {
#if defined(__thumb__)
    __asm__ volatile("swi 0x05" ::: "r0", "r1", "r2", "r3", "memory");
#else
    __asm__ volatile("swi 0x050000" ::: "r0", "r1", "r2", "r3", "memory");
#endif
}

/* Set up the vblank interrupt so VBlankIntrWait works. */
static inline void irq_init_vblank(void) {
    REG_IME = 0;
    REG_DISPSTAT = DSTAT_VBL_IRQ;
    REG_IE = IRQ_VBLANK;
    REG_IF = 0xFFFF;
    REG_IME = 1;
}

extern volatile u32 irq_count;

#endif
