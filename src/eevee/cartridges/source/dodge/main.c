/* EEVEE DODGE: a GBA reflex game. Rocks fall and bolts aimed at the player streak
 * down; move in eight directions (2 px a frame) and survive. The score is the number
 * of frames survived; the difficulty rises every 600 frames. Everything the agent
 * needs (player, hazards with positions and velocities) is in the state struct at
 * 0x02000000. The main loop sleeps in VBlankIntrWait; all randomness comes from the
 * xorshift32 state in RAM. */
#include "gba.h"
#include "dodge_data.h"

#define MODE_TITLE 0
#define MODE_PLAY 1
#define MODE_OVER 6

#define SCENE_SBB 28
#define TEXT_SBB 30
#define TEXT_PAL (1 << 12)

struct State st __attribute__((section(".gamestate")));

static u16 oam_buf[(1 + MAX_HAZARDS) * 4];
static u16 scroll;

/* ---- helpers ----------------------------------------------------------------- */

static u32 rng_next(void) {
    u32 x = st.rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    st.rng_state = x;
    return x;
}

static void text(int col, int row, const char *s) {
    vu16 *map = SCREENBLOCK(TEXT_SBB) + row * 32 + col;
    while (*s) *map++ = (u16)((u8)*s++) | TEXT_PAL;
}

static void big_text(int col, int row, const char *s) {
    vu16 *map = SCREENBLOCK(TEXT_SBB) + row * 32 + col;
    for (; *s; s++, map += 2) {
        if (*s == ' ') continue;
        u16 t = big_tiles[*s - 'A'];
        map[0] = t | TEXT_PAL;
        map[1] = (t + 1) | TEXT_PAL;
        map[32] = (t + 2) | TEXT_PAL;
        map[33] = (t + 3) | TEXT_PAL;
    }
}

static void number(int col, int row, u32 v, int digits) {
    vu16 *map = SCREENBLOCK(TEXT_SBB) + row * 32 + col + digits;
    while (digits--) {
        *--map = (u16)('0' + v % 10) | TEXT_PAL;
        v /= 10;
    }
}

static void clear_text(void) {
    vu16 *map = SCREENBLOCK(TEXT_SBB);
    for (int i = 0; i < 32 * 20; i++) map[i] = 0;
}

static void copy32(vu16 *dst, const u32 *src, int words) {
    vu32 *d = (vu32 *)dst;
    for (int i = 0; i < words; i++) d[i] = src[i];
}

/* ---- screens ----------------------------------------------------------------- */

static void draw_hud(void) {
    text(1, 0, "SCORE");
    text(14, 0, "BEST");
    text(26, 0, "LV");
}

static void update_hud(void) {
    number(7, 0, st.score, 6);
    number(19, 0, st.best_score, 6);
    number(28, 0, st.level + 1, 1);
}

static void draw_title(void) {
    clear_text();
    big_text(4, 3, "EEVEE DODGE");
    text(6, 7, "DODGE THE FALLING");
    text(6, 8, "ROCKS AND BOLTS!");
    text(9, 14, "PRESS START");
    text(4, 16, "D-PAD: MOVE ANYWHERE");
    text(4, 17, "SCORE: FRAMES SURVIVED");
    draw_hud();
    update_hud();
}

static void draw_game_over(void) {
    big_text(6, 5, "GAME OVER");
    text(9, 9, "SCORE");
    number(15, 9, st.score, 6);
    text(9, 10, "BEST");
    number(15, 10, st.best_score, 6);
    text(9, 13, "PRESS START");
}

/* ---- game -------------------------------------------------------------------- */

static void start_run(void) {
    clear_text();
    draw_hud();
    for (int i = 0; i < MAX_HAZARDS; i++) st.hazards[i].kind = 0;
    st.hazard_count = 0;
    st.player_x = 112;
    st.player_y = PLAY_BOTTOM;
    st.facing = 1;
    st.score = 0;
    st.level = 0;
    st.spawn_timer = 60;
    st.runs++;
    st.game_mode = MODE_PLAY;
}

static void spawn(void) {
    struct Hazard *h = 0;
    for (int i = 0; i < MAX_HAZARDS; i++) {
        if (st.hazards[i].kind == 0) {
            h = &st.hazards[i];
            break;
        }
    }
    if (!h) return;
    const s16 *lv = level_table[st.level];
    u32 r = rng_next();
    s32 vy = lv[1] + (s32)((r >> 8) % (u32)(lv[2] + 1));
    if ((s32)(r & 0xFF) < lv[3]) {
        /* a bolt, aimed at where the player is now */
        h->kind = 2;
        h->size = 8;
        h->x = (s16)(8 + (rng_next() >> 4) % 224);
        h->y = -8;
        vy = vy * BOLT_SPEED_NUM / BOLT_SPEED_DEN;
        s32 dx = (st.player_x + 4) - h->x;
        s32 dy = (st.player_y + 4) - h->y;
        s32 vx = dx * vy / dy;
        if (vx > 3 * 256) vx = 3 * 256;
        if (vx < -3 * 256) vx = -3 * 256;
        h->vx = (s16)vx;
    } else {
        h->kind = 1;
        h->size = 16;
        h->x = (s16)((rng_next() >> 4) % 225);
        h->y = -16;
        s32 drift = lv[4];
        h->vx = drift ? (s16)((s32)((rng_next() >> 4) % (u32)(2 * drift + 1)) - drift) : 0;
    }
    h->vy = (s16)vy;
    h->fx = 0;
    h->fy = 0;
}

static int hits(const struct Hazard *h) {
    int hx, hy, hw, hh;
    if (h->kind == 1) {
        hx = h->x + RHB_X; hy = h->y + RHB_Y; hw = RHB_W; hh = RHB_H;
    } else {
        hx = h->x + BHB_X; hy = h->y + BHB_Y; hw = BHB_W; hh = BHB_H;
    }
    int px = st.player_x + PHB_X, py = st.player_y + PHB_Y;
    return hx < px + PHB_W && px < hx + hw && hy < py + PHB_H && py < hy + hh;
}

static void update_play(void) {
    u16 k = st.keys;
    int dx = ((k & KEY_RIGHT) ? 1 : 0) - ((k & KEY_LEFT) ? 1 : 0);
    int dy = ((k & KEY_DOWN) ? 1 : 0) - ((k & KEY_UP) ? 1 : 0);
    if (dx > 0) st.facing = 3;
    else if (dx < 0) st.facing = 2;
    else if (dy > 0) st.facing = 0;
    else if (dy < 0) st.facing = 1;
    st.player_x += dx * PLAYER_SPEED;
    st.player_y += dy * PLAYER_SPEED;
    if (st.player_x < 0) st.player_x = 0;
    if (st.player_x > 224) st.player_x = 224;
    if (st.player_y < PLAY_TOP) st.player_y = PLAY_TOP;
    if (st.player_y > PLAY_BOTTOM) st.player_y = PLAY_BOTTOM;

    st.score++;
    if (st.score > st.best_score) st.best_score = st.score;
    u32 lv = st.score / LEVEL_FRAMES;
    st.level = lv >= LEVEL_COUNT ? LEVEL_COUNT - 1 : (u8)lv;

    if (--st.spawn_timer == 0) {
        st.spawn_timer = (u16)level_table[st.level][0];
        spawn();
    }
    int count = 0, hit = 0;
    for (int i = 0; i < MAX_HAZARDS; i++) {
        struct Hazard *h = &st.hazards[i];
        if (!h->kind) continue;
        s32 x = ((s32)h->x << 8) + h->fx + h->vx;
        s32 y = ((s32)h->y << 8) + h->fy + h->vy;
        h->x = (s16)(x >> 8);
        h->fx = (u8)x;
        h->y = (s16)(y >> 8);
        h->fy = (u8)y;
        if (h->y >= 160 || h->x <= -16 || h->x >= 240) {
            h->kind = 0;
            continue;
        }
        count++;
        if (hits(h)) hit = 1;
    }
    st.hazard_count = (u8)count;
    if (hit) {
        st.game_mode = MODE_OVER;
        st.over_frames = 0;
        draw_game_over();
    }
}

static void build_oam(void) {
    u16 *o = oam_buf;
    int blink = st.game_mode == MODE_OVER && (st.over_frames & 8);
    if (st.game_mode == MODE_TITLE) {
        o[0] = ATTR0_Y(84) | ATTR0_SQUARE;
        o[1] = ATTR1_X(112) | ATTR1_SIZE_16;
    } else if (blink) {
        o[0] = ATTR0_HIDE;
        o[1] = 0;
    } else {
        o[0] = ATTR0_Y(st.player_y) | ATTR0_SQUARE;
        o[1] = ATTR1_X(st.player_x) | ATTR1_SIZE_16 | (st.facing == 2 ? ATTR1_HFLIP : 0);
    }
    o[2] = ATTR2_TILE(OBJ_PLAYER) | ATTR2_PRIO(1);
    o += 4;
    for (int i = 0; i < MAX_HAZARDS; i++, o += 4) {
        const struct Hazard *h = &st.hazards[i];
        if (!h->kind || st.game_mode == MODE_TITLE) {
            o[0] = ATTR0_HIDE;
            o[1] = 0;
            o[2] = 0;
            continue;
        }
        o[0] = ATTR0_Y(h->y) | ATTR0_SQUARE;
        if (h->kind == 1) {
            o[1] = ATTR1_X(h->x) | ATTR1_SIZE_16 | ((i & 1) ? ATTR1_HFLIP : 0);
            o[2] = ATTR2_TILE(OBJ_ROCK) | ATTR2_PRIO(1);
        } else {
            o[1] = ATTR1_X(h->x) | ATTR1_SIZE_8;
            o[2] = ATTR2_TILE(OBJ_BOLT) | ATTR2_PRIO(1);
        }
    }
}

static void init_video(void) {
    REG_DISPCNT = DCNT_BLANK;
    for (int i = 0; i < 16; i++) {
        MEM_PAL[i] = bg_palette[i];
        MEM_PAL[16 + i] = text_palette[i];
        MEM_PAL_OBJ[i] = obj_palette[i];
    }
    copy32(CHARBLOCK(0), bg_tiles, BG_TILE_COUNT * 8);
    copy32(CHARBLOCK(1), text_tiles, TEXT_TILE_COUNT * 8);
    copy32(OBJ_TILES, obj_tiles, OBJ_TILE_COUNT * 8);
    vu16 *bg = SCREENBLOCK(SCENE_SBB);
    for (int r = 0; r < 32; r++)
        for (int c = 0; c < 32; c++) bg[r * 32 + c] = r < 20 ? bg_map[r * 32 + c] : 0;
    for (int i = 0; i < 128; i++) {
        MEM_OAM[i * 4] = ATTR0_HIDE;
        MEM_OAM[i * 4 + 1] = 0;
        MEM_OAM[i * 4 + 2] = 0;
    }
    REG_BG0CNT = BG_PRIO(0) | BG_CBB(1) | BG_4BPP | BG_SBB(TEXT_SBB) | BG_REG_32x32;
    REG_BG1CNT = BG_PRIO(1) | BG_CBB(0) | BG_4BPP | BG_SBB(SCENE_SBB) | BG_REG_32x32;
    REG_BG0HOFS = 0;
    REG_BG0VOFS = 0;
    REG_BG1HOFS = 0;
    REG_BG1VOFS = 0;
    draw_title();
    REG_DISPCNT = DCNT_MODE0 | DCNT_BG0 | DCNT_BG1 | DCNT_OBJ | DCNT_OBJ_1D;
}

int main(void) {
    st.rng_state = 0x2545F491;
    st.game_mode = MODE_TITLE;
    irq_init_vblank();
    init_video();
    build_oam();
    for (;;) {
        VBlankIntrWait();
        /* vblank: show what the last frame computed */
        for (int i = 0; i < (1 + MAX_HAZARDS) * 4; i++) {
            if ((i & 3) != 3) MEM_OAM[i] = oam_buf[i];
        }
        REG_BG1HOFS = scroll >> 3;
        if (st.game_mode != MODE_TITLE) update_hud();
        /* then the frame's logic */
        st.frame_counter++;
        rng_next();
        st.keys_prev = st.keys;
        st.keys = ~REG_KEYINPUT & KEY_MASK;
        u16 pressed = st.keys & ~st.keys_prev;
        switch (st.game_mode) {
        case MODE_TITLE:
            if (pressed & KEY_START) start_run();
            break;
        case MODE_PLAY:
            scroll++;
            update_play();
            break;
        case MODE_OVER:
            st.over_frames++;
            if (st.over_frames >= GAME_OVER_LOCK && (pressed & KEY_START)) start_run();
            break;
        default:
            break;
        }
        build_oam();
    }
}
