/* Perception probe: a scrolling BG0 field, a BG1 box layer, a 16x16 player sprite.
 * d-pad scrolls BG0 by one pixel per frame; A toggles the BG1 box; state at 0x02000000. */
#include "gba.h"
struct State { u32 magic; u32 frame; u16 keys; s16 sx; s16 sy; u16 box; } __attribute__((aligned(4)));
struct State st __attribute__((section(".gamestate")));
static u16 prev;
int main(void) {
    irq_init_vblank();
    st.magic = 0xEEFEE123;
    REG_DISPCNT = DCNT_MODE0 | DCNT_BG0 | DCNT_OBJ | DCNT_OBJ_1D;
    REG_BG0CNT = BG_PRIO(1) | BG_CBB(0) | BG_SBB(30) | BG_REG_32x32;
    REG_BG1CNT = BG_PRIO(0) | BG_CBB(1) | BG_SBB(28);
    for (int p = 0; p < 16; p++) {
        MEM_PAL[p * 16 + 0] = RGB15(0, 0, 0);
        for (int c = 1; c < 16; c++) MEM_PAL[p * 16 + c] = RGB15((c * 2 + p) & 31, (c * 5) & 31, (c * 7 + p * 3) & 31);
        MEM_PAL_OBJ[p * 16 + 1] = RGB15(31, 31, 0);
        MEM_PAL_OBJ[p * 16 + 2] = RGB15(31, 0, 0);
    }
    /* 8 BG tiles, each a distinct pattern (4bpp: 16 u16 per tile). */
    for (int t = 0; t < 8; t++)
        for (int i = 0; i < 16; i++) {
            u16 a = (u16)((t + 1) & 15), b = (u16)((i * 3 + t) & 15);
            CHARBLOCK(0)[t * 16 + i] = (u16)(a | (b << 4) | (a << 8) | (((i + t) & 15) << 12));
        }
    for (int i = 0; i < 16; i++) CHARBLOCK(1)[16 + i] = 0x2222;
    u32 seed = 12345;
    for (int i = 0; i < 1024; i++) {
        seed = seed * 1103515245u + 12345u;
        u16 t = (u16)((seed >> 16) & 7);
        u16 flip = (u16)(((seed >> 24) & 3) << 10);
        SCREENBLOCK(30)[i] = t | flip | (u16)(((seed >> 20) & 1) << 12);
    }
    for (int i = 0; i < 1024; i++) SCREENBLOCK(28)[i] = (i >= 32 * 15 && i < 32 * 20) ? 1 : 0;
    for (int i = 0; i < 64; i++) OBJ_TILES[i] = (i & 1) ? 0x1221 : 0x2112;
    for (int i = 1; i < 128; i++) MEM_OAM[i * 4] = ATTR0_HIDE;
    MEM_OAM[0] = ATTR0_Y(72) | ATTR0_SQUARE;
    MEM_OAM[1] = ATTR1_X(112) | ATTR1_SIZE_16;
    MEM_OAM[2] = ATTR2_TILE(0) | ATTR2_PRIO(0) | ATTR2_PAL(0);
    for (;;) {
        VBlankIntrWait();
        st.frame++;
        st.keys = ~REG_KEYINPUT & KEY_MASK;
        if (st.keys & KEY_RIGHT) st.sx++;
        if (st.keys & KEY_LEFT) st.sx--;
        if (st.keys & KEY_DOWN) st.sy++;
        if (st.keys & KEY_UP) st.sy--;
        if ((st.keys & KEY_A) && !(prev & KEY_A)) st.box ^= 1;
        prev = st.keys;
        REG_BG0HOFS = (u16)st.sx;
        REG_BG0VOFS = (u16)st.sy;
        REG_DISPCNT = DCNT_MODE0 | DCNT_BG0 | DCNT_OBJ | DCNT_OBJ_1D | (st.box ? DCNT_BG1 : 0);
    }
}
