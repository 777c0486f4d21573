/* EEVEE KEEP: a small GBA action-adventure.
 *
 * Display: mode 0. BG0 = the map (charblock 1, screenblocks 24-27 as one 64x64-tile
 * map, 512x512 pixels, scrolled with BG0HOFS/VOFS = camera); an area is drawn whole
 * when it is entered. BG1 = the HUD and the screens' text (charblock 0, screenblock
 * 30), never scrolled. Sprites: OAM 0 the player (16x16), 1 the sword, 2 the key,
 * 3.. the slimes.
 * The player moves freely, one pixel a frame while a direction is held (one axis at a
 * time: UP over DOWN over LEFT over RIGHT), and collides with 8x8 map tiles through the
 * feet box (the sprite's lower 16x8 pixels). Slimes patrol back and forth, their
 * positions a function of the frame counter only; there is no randomness at all.
 * Everything the agent may read lives in `st` at 0x02000000 (keep_state.h, generated
 * by gen/keep.py). The main loop sleeps in VBlankIntrWait: at each vblank it shows
 * what the last frame computed (OAM, scroll, fade), then runs one frame of logic.
 */
#include "gba.h"
#include "keep_data.h"
#include "keep_state.h"

GameState st __attribute__((section(".gamestate")));

enum { MODE_TITLE, MODE_PLAY, MODE_FADE, MODE_OVER, MODE_END };
enum { DIR_DOWN, DIR_UP, DIR_LEFT, DIR_RIGHT };
enum { TK_NEWGAME, TK_WARP, TK_DIE, TK_CONTINUE, TK_END };
enum { MSG_NONE, MSG_LOCKED, MSG_KEY, MSG_OPEN };

#define REG_WAITCNT REG16(0x04000204)
#define MAP_SB 24
#define HUD_SB 30
#define ATTR1_VFLIP 0x2000
#define SE_HFLIP 0x400
#define SE_VFLIP 0x800
#define OAM_PLAYER 0
#define OAM_SWORD 1
#define OAM_KEY 2
#define OAM_SLIME 3
#define OAM_USED (OAM_SLIME + MAX_SLIMES)
#define DISP_WORLD (DCNT_MODE0 | DCNT_BG0 | DCNT_BG1 | DCNT_OBJ | DCNT_OBJ_1D)
#define DISP_TEXT (DCNT_MODE0 | DCNT_BG1 | DCNT_OBJ_1D)

static const s8 DX[4] = {0, 0, -1, 1};
static const s8 DY[4] = {1, -1, 0, 0};
static const char *const messages[] = {"", "THE DOOR IS LOCKED.", "YOU GOT THE KEY!",
                                       "THE KEY OPENS THE DOOR!"};

static u16 keys_prev, pressed;
static u16 oam[OAM_USED * 4];
static u16 dispcnt;
static u8 world_shown, next_mode, kb_dir, msg_timer, blink_on;
static u8 trans_kind, trans_area, trans_t;
static u16 trans_x, trans_y;
static u8 hud_hp = 255, hud_inv = 255;

/* gcc may emit calls to these even in freestanding code. */
void *memcpy(void *dst, const void *src, unsigned n) {
    u8 *d = dst;
    const u8 *s = src;
    while (n--) *d++ = *s++;
    return dst;
}
void *memset(void *dst, int v, unsigned n) {
    u8 *d = dst;
    while (n--) *d++ = (u8)v;
    return dst;
}

static void copy32(vu16 *dst, const u32 *src, u32 words) {
    vu32 *d = (vu32 *)dst;
    for (u32 i = 0; i < words; i++) d[i] = src[i];
}

static int overlap(int ax, int ay, int aw, int ah, int bx, int by, int bw, int bh) {
    return ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah;
}

/* ---------------- the HUD layer (BG1) ---------------- */

static void hud_put(int col, int row, u16 e) {
    if (col >= 0 && col < 32 && row >= 0 && row < 32) SCREENBLOCK(HUD_SB)[row * 32 + col] = e;
}

static void hud_clear_rows(int r0, int r1) {
    for (int r = r0; r <= r1; r++)
        for (int c = 0; c < 32; c++) SCREENBLOCK(HUD_SB)[r * 32 + c] = 0;
}

static int str_len(const char *s) {
    int n = 0;
    while (s[n]) n++;
    return n;
}

/* text with a see-through background (the HUD, over the map) */
static void hud_text(int col, int row, const char *s) {
    for (; *s; s++, col++) hud_put(col, row, (u8)*s == ' ' ? 0 : (u8)*s);
}

/* text inside a box (navy paper) */
static void box_text(int col, int row, const char *s) {
    for (; *s; s++, col++) hud_put(col, row, (u16)(BOX_FONT + (u8)*s));
}

static void box_text_centered(int c0, int c1, int row, const char *s) {
    box_text(c0 + (c1 - c0 + 1 - str_len(s)) / 2, row, s);
}

static void draw_box(int c0, int r0, int c1, int r1) {
    for (int r = r0; r <= r1; r++) {
        for (int c = c0; c <= c1; c++) {
            u16 e = UI_FILL;
            int top = r == r0, bot = r == r1, left = c == c0, right = c == c1;
            if ((top || bot) && (left || right)) e = UI_FRAME_TL;
            else if (top || bot) e = UI_FRAME_T;
            else if (left || right) e = UI_FRAME_L;
            if (right) e |= SE_HFLIP;
            if (bot) e |= SE_VFLIP;
            hud_put(c, r, e);
        }
    }
}

/* 16x16 letters: two columns and two rows each */
static void big_text(int col, int row, const char *s) {
    for (; *s; s++, col += 2) {
        if (*s < 'A' || *s > 'Z') continue;
        u16 t = big_letter[*s - 'A'];
        hud_put(col, row, t);
        hud_put(col + 1, row, t + 1);
        hud_put(col, row + 1, t + 2);
        hud_put(col + 1, row + 1, t + 3);
    }
}

static char *append(char *p, const char *s) {
    while (*s) *p++ = *s++;
    *p = 0;
    return p;
}

static char *append2(char *p, u32 v) {
    *p++ = (char)('0' + (v / 10) % 10);
    *p++ = (char)('0' + v % 10);
    *p = 0;
    return p;
}

static void draw_hud(void) {
    for (int i = 0; i < st.max_hp; i++)
        hud_put(1 + i, 0, i < st.hp ? UI_HEART_FULL : UI_HEART_EMPTY);
    hud_put(1 + st.max_hp + 1, 0, (st.inventory & INV_KEY) ? UI_KEY_ICON : 0);
    hud_text(26, 0, "A");
    hud_put(27, 0, UI_SWORD_ICON);
    hud_hp = st.hp;
    hud_inv = st.inventory;
}

static void draw_message(void) {
    hud_clear_rows(17, 19);
    if (st.msg_id == MSG_NONE) return;
    draw_box(3, 17, 26, 19);
    box_text_centered(4, 25, 18, messages[st.msg_id]);
}

static void show_message(int id) {
    msg_timer = MSG_FRAMES;
    if (st.msg_id == id) return;
    st.msg_id = (u8)id;
    draw_message();
}

/* ---------------- the map (BG0) ---------------- */

static const AreaDef *cur_area(void) { return &areas[st.area]; }

static int door_open(void) { return (st.quest_flags & FLAG_OPENED_DOOR) != 0; }

static int tile_attr(int tx, int ty) {
    const AreaDef *a = cur_area();
    int attr = legend_attr[a->cells[ty * a->w + tx]];
    if ((attr & ATTR_DOOR) && door_open()) attr &= ~ATTR_SOLID;
    return attr;
}

/* OR of the attributes of the tiles under the feet box with the sprite at x, y;
 * solid when the box would leave the area */
static int feet_attr(int x, int y) {
    const AreaDef *a = cur_area();
    if (x < 0 || y < 0 || x + 16 > a->w * 8 || y + 16 > a->h * 8) return ATTR_SOLID;
    int out = 0;
    for (int ty = (y + FEET_Y) >> 3; ty <= (y + FEET_Y + FEET_H - 1) >> 3; ty++)
        for (int tx = (x + FEET_X) >> 3; tx <= (x + FEET_X + FEET_W - 1) >> 3; tx++)
            out |= tile_attr(tx, ty);
    return out;
}

static void map_put(int tx, int ty, u16 e) {
    int sb = (ty >> 5) * 2 + (tx >> 5);
    SCREENBLOCK(MAP_SB)[sb * 1024 + (ty & 31) * 32 + (tx & 31)] = e;
}

static void draw_door(void) {
    if (st.area != DOOR_AREA || !door_open()) return;
    for (int i = 0; i < DOOR_TILES; i++) map_put(door_tiles[i].x, door_tiles[i].y, door_tiles[i].open);
}

static void draw_map(void) {
    const AreaDef *a = cur_area();
    for (int ty = 0; ty < 64; ty++) {
        for (int tx = 0; tx < 64; tx++) {
            u16 e = (tx < a->w && ty < a->h) ? a->gfx[ty * a->w + tx] : a->fill;
            map_put(tx, ty, e);
        }
    }
    draw_door();
}

static void camera_update(void) {
    const AreaDef *a = cur_area();
    int cx = st.player_x + 8 - 120, cy = st.player_y + 8 - 80;
    int mx = a->w * 8 - 240, my = a->h * 8 - 160;
    if (cx > mx) cx = mx;
    if (cx < 0) cx = 0;
    if (cy > my) cy = my;
    if (cy < 0) cy = 0;
    st.camera_x = (u16)cx;
    st.camera_y = (u16)cy;
}

/* ---------------- slimes ---------------- */

static void slimes_update(void) {
    for (int i = 0; i < MAX_SLIMES; i++) {
        SlimeState *s = &st.slimes[i];
        if (i >= SLIME_COUNT) {
            s->kind = 0;
            continue;
        }
        const SlimeDef *d = &slime_defs[i];
        u32 len = d->len;
        u32 p = ((st.frame_counter >> 1) + d->phase) % (2 * len);
        int fwd = p < len;
        int off = fwd ? (int)p : (int)(2 * len - p);
        s->area = d->area;
        s->x = (s16)(d->x + (d->vertical ? 0 : off));
        s->y = (s16)(d->y + (d->vertical ? off : 0));
        s->vx = (s16)(d->vertical ? 0 : (fwd ? 128 : -128));
        s->vy = (s16)(d->vertical ? (fwd ? 128 : -128) : 0);
        s->anim = (u8)((st.frame_counter >> 4) & 1);
        s->kind = (d->area == st.area && (st.slimes_alive & (1u << i))) ? 1 : 0;
    }
}

static void sword_hits(void) {
    const s8 *b = sword_box[st.facing];
    int x = st.player_x + b[0], y = st.player_y + b[1];
    for (int i = 0; i < MAX_SLIMES; i++) {
        SlimeState *s = &st.slimes[i];
        if (s->kind && overlap(x, y, b[2], b[3], s->x + SLIME_X, s->y + SLIME_Y, SLIME_W,
                               SLIME_H)) {
            st.slimes_alive &= (u8)~(1u << i);
            s->kind = 0;
            st.slimes_defeated++;
        }
    }
}

/* ---------------- the quest ---------------- */

static void update_step(void) {
    st.quest_step = (u8)(!!(st.quest_flags & FLAG_GOT_KEY) + !!(st.quest_flags & FLAG_OPENED_DOOR) +
                         !!(st.quest_flags & FLAG_QUEST_DONE));
}

static void start_fade(int kind, int area, int x, int y) {
    st.game_mode = MODE_FADE;
    trans_kind = (u8)kind;
    trans_area = (u8)area;
    trans_x = (u16)x;
    trans_y = (u16)y;
    trans_t = 0;
    st.transition = 0;
}

static void take_warp(void) {
    const AreaDef *a = cur_area();
    int tx0 = (st.player_x + FEET_X) >> 3, tx1 = (st.player_x + FEET_X + FEET_W - 1) >> 3;
    int ty0 = (st.player_y + FEET_Y) >> 3, ty1 = (st.player_y + FEET_Y + FEET_H - 1) >> 3;
    for (int i = 0; i < a->nwarps; i++) {
        const WarpDef *w = &a->warps[i];
        if (tx0 <= w->x1 && w->x0 <= tx1 && ty0 <= w->y1 && w->y0 <= ty1) {
            start_fade(TK_WARP, w->to_area, w->to_x, w->to_y);
            return;
        }
    }
}

static void bump(int attr) {
    if ((attr & ATTR_DOOR) && !door_open()) {
        if (st.inventory & INV_KEY) {
            st.quest_flags |= FLAG_OPENED_DOOR;
            update_step();
            draw_door();
            show_message(MSG_OPEN);
        } else {
            show_message(MSG_LOCKED);
        }
    }
    if (attr & ATTR_ALTAR) {
        st.quest_flags |= FLAG_QUEST_DONE;
        update_step();
        start_fade(TK_END, 0, 0, 0);
    }
}

static void pick_up_key(void) {
    if (st.area != KEY_AREA || (st.inventory & INV_KEY)) return;
    if (overlap(st.player_x, st.player_y, 16, 16, KEY_X + KEYB_X, KEY_Y + KEYB_Y, KEYB_W, KEYB_H)) {
        st.inventory |= INV_KEY;
        st.quest_flags |= FLAG_GOT_KEY;
        update_step();
        show_message(MSG_KEY);
    }
}

static void walk(void) {
    u16 k = st.keys_held;
    int dir;
    if (k & KEY_UP) dir = DIR_UP;
    else if (k & KEY_DOWN) dir = DIR_DOWN;
    else if (k & KEY_LEFT) dir = DIR_LEFT;
    else if (k & KEY_RIGHT) dir = DIR_RIGHT;
    else return;
    st.facing = (u8)dir;
    int nx = st.player_x + DX[dir], ny = st.player_y + DY[dir];
    int attr = feet_attr(nx, ny);
    if (attr & ATTR_SOLID) {
        bump(attr);
        return;
    }
    st.player_x = (u16)nx;
    st.player_y = (u16)ny;
    st.moving = 1;
    st.pixels_walked++;
    if (attr & ATTR_WARP) take_warp();
    else pick_up_key();
}

static void knockback_step(void) {
    for (int i = 0; i < 2; i++) {
        int nx = st.player_x + DX[kb_dir], ny = st.player_y + DY[kb_dir];
        if (feet_attr(nx, ny) & (ATTR_SOLID | ATTR_WARP)) break;
        st.player_x = (u16)nx;
        st.player_y = (u16)ny;
    }
    st.knockback--;
}

static void touch_slimes(void) {
    if (st.invuln || st.knockback) return;
    int px = st.player_x + HURT_X, py = st.player_y + HURT_Y;
    for (int i = 0; i < MAX_SLIMES; i++) {
        const SlimeState *s = &st.slimes[i];
        if (!s->kind ||
            !overlap(px, py, HURT_W, HURT_H, s->x + SLIME_X, s->y + SLIME_Y, SLIME_W, SLIME_H))
            continue;
        int dx = st.player_x - s->x, dy = st.player_y - s->y;
        int adx = dx < 0 ? -dx : dx, ady = dy < 0 ? -dy : dy;
        if (adx == 0 && ady == 0) kb_dir = (u8)(st.facing ^ 1);
        else if (adx >= ady) kb_dir = dx > 0 ? DIR_RIGHT : DIR_LEFT;
        else kb_dir = dy > 0 ? DIR_DOWN : DIR_UP;
        st.hp--;
        st.hits_taken++;
        st.invuln = INVULN_FRAMES;
        st.knockback = KB_FRAMES;
        st.sword = 0;
        if (st.hp == 0) {
            st.knockback = 0;
            st.deaths++;
            start_fade(TK_DIE, 0, 0, 0);
        }
        return;
    }
}

static void play_update(void) {
    slimes_update();
    if (st.invuln) st.invuln--;
    if (st.sword) st.sword--;
    if (st.knockback) {
        knockback_step();
    } else if (st.sword) {
        sword_hits();
    } else if (pressed & KEY_A) {
        st.sword = SWORD_FRAMES;
        sword_hits();
    } else {
        walk();
    }
    if (st.game_mode == MODE_PLAY) touch_slimes();
    if (msg_timer && --msg_timer == 0) {
        st.msg_id = MSG_NONE;
        draw_message();
    }
    if (hud_hp != st.hp || hud_inv != st.inventory) draw_hud();
}

/* ---------------- screens ---------------- */

static void load_area(int area, int x, int y) {
    st.area = (u8)area;
    st.player_x = (u16)x;
    st.player_y = (u16)y;
    st.msg_id = MSG_NONE;
    msg_timer = 0;
    hud_clear_rows(0, 31);
    draw_hud();
    draw_map();
    slimes_update();
    camera_update();
    world_shown = 1;
    dispcnt = DISP_WORLD;
}

static void draw_title(void) {
    st.area = START_AREA;
    draw_map();
    st.camera_x = 136;
    st.camera_y = 40;
    hud_clear_rows(0, 31);
    draw_box(2, 1, 27, 8);
    big_text(5, 3, "EEVEE KEEP");
    box_text_centered(3, 26, 6, "A LITTLE SWORD QUEST");
    draw_box(4, 16, 25, 18);
    box_text_centered(5, 24, 17, "(C) 2026 EEVEE TEAM");
    blink_on = 0;
    world_shown = 0;
    dispcnt = DISP_WORLD;
}

/* the blinking "PRESS START" of the title and game-over screens */
static void blink_press_start(int row, int boxed) {
    int on = (st.frame_counter & 32) == 0;
    if (on == blink_on) return;
    blink_on = (u8)on;
    if (boxed && on) {
        draw_box(8, row - 1, 21, row + 1);
        box_text(9, row, " PRESS START");
    } else if (boxed) {
        hud_clear_rows(row - 1, row + 1);
    } else {
        for (int c = 9; c <= 20; c++) hud_put(c, row, UI_FILL);
        if (on) box_text(10, row, "PRESS START");
    }
}

static void draw_game_over(void) {
    hud_clear_rows(0, 31);
    draw_box(0, 0, 29, 19);
    big_text(6, 5, "GAME OVER");
    box_text_centered(1, 28, 9, "THE SLIMES GOT YOU...");
    box_text_centered(1, 28, 15, "YOU KEEP WHAT YOU FOUND");
    blink_on = 0;
    world_shown = 0;
    dispcnt = DISP_TEXT;
}

static void draw_end(void) {
    char buf[24];
    u32 secs = st.frame_counter / 60;
    hud_clear_rows(0, 31);
    draw_box(0, 0, 29, 19);
    big_text(8, 4, "THE END");
    box_text_centered(1, 28, 8, "YOU FOUND THE TREASURE");
    box_text_centered(1, 28, 9, "OF THE OLD SHRINE!");
    char *p = append(buf, "TIME ");
    p = append2(p, secs / 60 > 99 ? 99 : secs / 60);
    p = append(p, ":");
    append2(p, secs % 60);
    box_text_centered(1, 28, 12, buf);
    box_text_centered(1, 28, 15, "THANKS FOR PLAYING");
    world_shown = 0;
    dispcnt = DISP_TEXT;
}

static void fade_midpoint(void) {
    switch (trans_kind) {
    case TK_NEWGAME:
    case TK_CONTINUE:
        st.hp = st.max_hp;
        st.facing = DIR_DOWN;
        st.invuln = 0;
        st.knockback = 0;
        st.sword = 0;
        load_area(START_AREA, START_X, START_Y);
        next_mode = MODE_PLAY;
        break;
    case TK_WARP:
        st.sword = 0;
        load_area(trans_area, trans_x, trans_y);
        next_mode = MODE_PLAY;
        break;
    case TK_DIE:
        draw_game_over();
        next_mode = MODE_OVER;
        break;
    default: /* TK_END */
        draw_end();
        next_mode = MODE_END;
        break;
    }
}

static void fade_update(void) {
    trans_t++;
    st.transition = (u8)(trans_t <= FADE_FRAMES / 2 ? trans_t * 2 : (FADE_FRAMES - trans_t) * 2);
    if (trans_t == FADE_FRAMES / 2) fade_midpoint();
    if (trans_t >= FADE_FRAMES) {
        st.transition = 0;
        st.game_mode = next_mode;
    }
}

/* ---------------- sprites and the frame ---------------- */

static void oam_set(int i, int x, int y, u16 tile, u16 pal, u16 flip) {
    u16 *o = &oam[i * 4];
    if (x <= -16 || x >= 240 || y <= -16 || y >= 160) {
        o[0] = ATTR0_HIDE;
        o[1] = 0;
        o[2] = 0;
        return;
    }
    o[0] = (u16)(ATTR0_Y(y) | ATTR0_SQUARE);
    o[1] = (u16)(ATTR1_X(x) | ATTR1_SIZE_16 | flip);
    o[2] = (u16)(ATTR2_TILE(tile) | ATTR2_PRIO(1) | ATTR2_PAL(pal));
}

static void build_oam(void) {
    for (int i = 0; i < OAM_USED; i++) {
        oam[i * 4] = ATTR0_HIDE;
        oam[i * 4 + 1] = 0;
        oam[i * 4 + 2] = 0;
    }
    if (!world_shown) return;
    int cx = st.camera_x, cy = st.camera_y;
    int px = st.player_x - cx, py = st.player_y - cy;
    if (!(st.invuln & 4)) {
        int walking = st.moving && ((st.pixels_walked >> 3) & 1);
        u16 tile, flip = 0;
        if (st.facing == DIR_DOWN) tile = walking ? SPR_HERO_DOWN_WALK : SPR_HERO_DOWN;
        else if (st.facing == DIR_UP) tile = walking ? SPR_HERO_UP_WALK : SPR_HERO_UP;
        else tile = walking ? SPR_HERO_SIDE_WALK : SPR_HERO_SIDE;
        if (st.facing == DIR_LEFT) flip = ATTR1_HFLIP;
        oam_set(OAM_PLAYER, px, py, tile, OPAL_HERO, flip);
    }
    if (st.sword) {
        const s8 *o = sword_spr[st.facing];
        u16 flip = st.facing == DIR_LEFT ? ATTR1_HFLIP : (st.facing == DIR_DOWN ? ATTR1_VFLIP : 0);
        u16 tile = st.facing >= DIR_LEFT ? SPR_SWORD_H : SPR_SWORD_V;
        oam_set(OAM_SWORD, px + o[0], py + o[1], tile, OPAL_ITEMS, flip);
    }
    if (st.area == KEY_AREA && !(st.inventory & INV_KEY))
        oam_set(OAM_KEY, KEY_X - cx, KEY_Y - cy - (int)((st.frame_counter >> 4) & 1), SPR_KEY,
                OPAL_ITEMS, 0);
    for (int i = 0; i < MAX_SLIMES; i++) {
        const SlimeState *s = &st.slimes[i];
        if (s->kind)
            oam_set(OAM_SLIME + i, s->x - cx, s->y - cy, s->anim ? SPR_SLIME_SQUISH : SPR_SLIME,
                    OPAL_SLIME, s->vx < 0 ? ATTR1_HFLIP : 0);
    }
}

static void present(void) {
    for (int i = 0; i < OAM_USED * 4; i++)
        if ((i & 3) != 3) MEM_OAM[i] = oam[i];
    REG_BG0HOFS = st.camera_x;
    REG_BG0VOFS = st.camera_y;
    REG_DISPCNT = dispcnt;
    if (st.game_mode == MODE_FADE) {
        REG_BLDCNT = 0x00FF; /* every layer and the backdrop darken by BLDY/16 */
        REG_BLDY = st.transition;
    } else {
        REG_BLDCNT = 0;
    }
}

static void init_video(void) {
    REG_DISPCNT = DCNT_BLANK;
    copy32(CHARBLOCK(0), ui_tiles, UI_TILE_COUNT * 8);
    copy32(CHARBLOCK(1), bg_tiles, BG_TILE_COUNT * 8);
    copy32(OBJ_TILES, obj_tiles, sizeof(obj_tiles) / 4);
    for (u32 i = 0; i < sizeof(bg_palettes) / 2; i++) MEM_PAL[i] = bg_palettes[i];
    for (u32 i = 0; i < sizeof(obj_palettes) / 2; i++) MEM_PAL_OBJ[i] = obj_palettes[i];
    REG_BG0CNT = BG_PRIO(2) | BG_CBB(1) | BG_SBB(MAP_SB) | BG_4BPP | BG_REG_64x64;
    REG_BG1CNT = BG_PRIO(0) | BG_CBB(0) | BG_SBB(HUD_SB) | BG_4BPP | BG_REG_32x32;
    REG_BG1HOFS = 0;
    REG_BG1VOFS = 0;
    REG_BLDCNT = 0;
    for (int i = 0; i < 128; i++) {
        MEM_OAM[i * 4] = ATTR0_HIDE;
        MEM_OAM[i * 4 + 1] = 0;
        MEM_OAM[i * 4 + 2] = 0;
    }
}

int main(void) {
    REG_WAITCNT = 0x4317; /* ROM 3/1 wait states with prefetch */
    irq_init_vblank();
    st.max_hp = MAX_HP;
    st.hp = MAX_HP;
    st.facing = DIR_DOWN;
    st.slimes_alive = (u8)((1u << SLIME_COUNT) - 1);
    init_video();
    draw_title();
    build_oam();
    for (;;) {
        VBlankIntrWait();
        present();
        st.frame_counter++;
        u16 keys = (u16)(~REG_KEYINPUT & KEY_MASK);
        pressed = keys & (u16)~keys_prev;
        keys_prev = keys;
        st.keys_held = keys;
        st.moving = 0;
        switch (st.game_mode) {
        case MODE_TITLE:
            blink_press_start(12, 1);
            if (pressed & (KEY_START | KEY_A)) start_fade(TK_NEWGAME, 0, 0, 0);
            break;
        case MODE_PLAY:
            play_update();
            break;
        case MODE_FADE:
            fade_update();
            if (world_shown) slimes_update();
            break;
        case MODE_OVER:
            blink_press_start(12, 0);
            if (pressed & (KEY_START | KEY_A)) start_fade(TK_CONTINUE, 0, 0, 0);
            break;
        default: /* MODE_END: the end screen stays */
            break;
        }
        if (world_shown) camera_update();
        build_oam();
    }
}
