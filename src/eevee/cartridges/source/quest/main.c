/* EEVEE QUEST: a small top-down GBA RPG.
 *
 * Display: mode 0. BG0 = text layer (dialogue, menus, HUD; charblock 0, screenblock 28),
 * BG1 = map (charblock 1, screenblocks 24-27 as one 64x64-tile map, scrolled with
 * BG1HOFS/VOFS = camera). The map wraps every 32 cells: cell (x, y) is drawn at tiles
 * (2x mod 64, 2y mod 64), so an area of up to 32x32 cells is drawn whole, and a larger
 * one is streamed: a 32x32-cell window around the camera, one new row or column of
 * cells drawn (well off screen) whenever the camera crosses a cell boundary.
 * One map cell = 16x16 pixels = 2x2 tiles; the player is a 16x16 sprite (OAM 0) that
 * steps one cell in 8 frames (2 px per frame).
 * All game state that the agent may read lives in `st` at 0x02000000 (quest_state.h,
 * generated from gen/quest.py). The only randomness is st.rng_state (xorshift32).
 */
#include "gba.h"
#include "quest_data.h"
#include "quest_state.h"

GameState st __attribute__((section(".gamestate")));

enum { MODE_TITLE, MODE_OVERWORLD, MODE_DIALOGUE, MODE_MENU, MODE_BATTLE, MODE_TRANSITION };
enum { DIR_DOWN, DIR_UP, DIR_LEFT, DIR_RIGHT };
enum { TK_NEWGAME, TK_WARP, TK_BATTLE_IN, TK_BATTLE_OUT, TK_FAINT };
enum { TB_IDLE, TB_TYPING, TB_WAIT, TB_QUESTION, TB_DONE };
enum { BN_MENU, BN_ENEMY, BN_WIN, BN_LOSE, BN_ESCAPE };

#define MAP_SB 24
#define TEXT_SB 28
#define MAX_NPCS 6
#define NO_DIALOGUE 255
#define STEP_FRAMES 8
#define NPC_STEP_FRAMES 16

static const s8 DX[4] = {0, 0, -1, 1};
static const s8 DY[4] = {1, -1, 0, 0};

typedef NpcState Npc;
static u16 keys_prev, pressed;
static u16 oam[128 * 4];
static u8 trans_kind, trans_area, trans_x, trans_y, trans_t;
static u8 banner_timer, hud_shown, hud_hp, flash;
static const char *tb_text;
static u16 tb_page, tb_shown, tb_len;
static u8 tb_state, tb_question, tb_cursor, tb_answer;
static u8 battle_next;
static s16 win_x, win_y; /* top-left cell of the drawn 32x32-cell map window */
static char msg[96];

static const char *const item_names[] = {"MOON FLOWER", "GATE KEY", "RED BALL", "POTION",
                                         "OLD CHARM"};
static const char *const enemy_names[] = {"SLIME", "BAT", "SHROOM"};
static const u8 enemy_hp_max[] = {7, 9, 11};
static const u8 enemy_pal[] = {OPAL_SLIME, OPAL_BAT, OPAL_SHROOM};
static const u16 enemy_spr[] = {SPR_SLIME, SPR_BAT, SPR_SHROOM};
static const u16 main_flags[] = {FLAG_TALKED_ELDER, FLAG_GOT_FLOWER, FLAG_GOT_KEY,
                                 FLAG_GATE_OPEN, FLAG_REACHED_SHRINE, FLAG_QUEST_DONE};
static const char *const objectives[] = {
    "Talk to the elder", "Get a Moon Flower", "See the hermit", "Open shrine gate",
    "Enter the shrine", "Talk to spirit", "Quest complete!"};

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

static u32 rng_next(void) {
    u32 x = st.rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    st.rng_state = x;
    return x;
}

static void copy32(vu16 *dst, const u32 *src, u32 words) {
    vu32 *d = (vu32 *)dst;
    for (u32 i = 0; i < words; i++) d[i] = src[i];
}

/* ---------------- text layer ---------------- */

static vu16 *text_map(void) { return SCREENBLOCK(TEXT_SB); }

static void text_put(int col, int row, u16 entry) {
    if (col >= 0 && col < 32 && row >= 0 && row < 32) text_map()[row * 32 + col] = entry;
}

static void text_clear_rows(int r0, int r1) {
    for (int r = r0; r <= r1; r++)
        for (int c = 0; c < 32; c++) text_map()[r * 32 + c] = 0;
}

static void draw_box(int c0, int r0, int c1, int r1) {
    for (int r = r0; r <= r1; r++) {
        for (int c = c0; c <= c1; c++) {
            u16 e = UI_FILL;
            int top = r == r0, bot = r == r1, left = c == c0, right = c == c1;
            if ((top || bot) && (left || right)) e = UI_FRAME_TL;
            else if (top || bot) e = UI_FRAME_T;
            else if (left || right) e = UI_FRAME_L;
            if (right) e |= 0x400;
            if (bot) e |= 0x800;
            text_put(c, r, e);
        }
    }
}

static int text_at(int col, int row, const char *s) {
    int n = 0;
    while (s[n]) {
        text_put(col + n, row, (u8)s[n]);
        n++;
    }
    return n;
}

static int fmt_num(char *buf, u32 v) {
    char tmp[10];
    int n = 0, len = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) buf[len++] = tmp[--n];
    buf[len] = 0;
    return len;
}

static char *append(char *p, const char *s) {
    while (*s) *p++ = *s++;
    *p = 0;
    return p;
}

static char *append_num(char *p, u32 v) { return p + fmt_num(p, v); }

static void draw_hpbar(int col, int row, int hp, int max) {
    int px = max ? hp * 48 / max : 0;
    if (hp > 0 && px == 0) px = 1;
    u16 pal = hp * 2 > max ? 0 : (hp * 5 > max ? BPAL_UI_YELLOW : BPAL_UI_RED);
    text_put(col, row, UI_HP_LABEL);
    for (int i = 0; i < 6; i++) {
        int f = px - i * 8;
        if (f < 0) f = 0;
        if (f > 8) f = 8;
        text_put(col + 1 + i, row, (u16)(UI_HPBAR + f) | (u16)(pal << 12));
    }
}

/* ---------------- map ---------------- */

static const AreaDef *cur_area(void) { return &areas[st.area]; }

static u8 cell_legend(int x, int y) {
    const AreaDef *a = cur_area();
    return a->cells[y * a->w + x];
}

static u8 cell_attr(int x, int y) {
    const AreaDef *a = cur_area();
    if (x < 0 || y < 0 || x >= a->w || y >= a->h) return ATTR_SOLID;
    u8 attr = legend_attr[cell_legend(x, y)];
    if ((attr & ATTR_GATE) && (st.quest_flags & FLAG_GATE_OPEN)) attr &= (u8)~ATTR_SOLID;
    if ((attr & ATTR_BRIDGE) && (st.quest_flags & FLAG_BRIDGE_UP)) attr &= (u8)~ATTR_SOLID;
    return attr;
}

/* always inlined: drawing a whole area must cost what it always did (the solver script
 * is frame-exact, and a load that overruns a frame shifts every later frame) */
static inline __attribute__((always_inline)) u8 cell_metatile(int x, int y) {
    u8 l = cell_legend(x, y);
    u8 attr = legend_attr[l];
    int alt = 0;
    if ((attr & ATTR_GATE) && (st.quest_flags & FLAG_GATE_OPEN)) alt = 1;
    if ((attr & (ATTR_BRIDGE | ATTR_LEVER)) && (st.quest_flags & FLAG_BRIDGE_UP)) alt = 1;
    return alt ? legend_alt[l] : legend_mt[l];
}

static void map_put(int tx, int ty, u16 e) {
    int sb = (ty >> 5) * 2 + (tx >> 5);
    SCREENBLOCK(MAP_SB)[sb * 1024 + (ty & 31) * 32 + (tx & 31)] = e;
}

static void draw_metatile(int cx, int cy, u8 mt) {
    u16 base = (u16)((mt + 1) * 4) | (u16)(mt_pal[mt] << 12);
    map_put(cx * 2, cy * 2, base);
    map_put(cx * 2 + 1, cy * 2, base + 1);
    map_put(cx * 2, cy * 2 + 1, base + 2);
    map_put(cx * 2 + 1, cy * 2 + 1, base + 3);
}

static void clear_map(void) {
    vu32 *m = (vu32 *)SCREENBLOCK(MAP_SB);
    for (int i = 0; i < 2048; i++) m[i] = 0;
}

/* Draw a whole area of up to 32x32 cells. */
static void draw_area(void) {
    const AreaDef *a = cur_area();
    clear_map();
    for (int y = 0; y < a->h; y++)
        for (int x = 0; x < a->w; x++) draw_metatile(x, y, cell_metatile(x, y));
}

/* ---- larger areas: a 32x32-cell window around the camera, streamed ---- */

static int big_area(void) {
    const AreaDef *a = cur_area();
    return a->w > 32 || a->h > 32;
}

/* First cell of the window along one axis: the camera's cell minus a margin (8 columns,
 * 11 rows), so the 16x11 cells on screen sit well inside the window. */
static int win_origin(int cam, int size, int margin) {
    if (size <= 32) return 0;
    int o = (cam >> 4) - margin;
    if (o < 0) o = 0;
    if (o > size - 32) o = size - 32;
    return o;
}

static void draw_window_cell(int x, int y) {
    draw_metatile(x & 31, y & 31, cell_metatile(x, y));
}

static void draw_window_col(int x) {
    const AreaDef *a = cur_area();
    int h = a->h < 32 ? a->h : 32;
    for (int y = win_y; y < win_y + h; y++) draw_window_cell(x, y);
}

static void draw_window_row(int y) {
    const AreaDef *a = cur_area();
    int w = a->w < 32 ? a->w : 32;
    for (int x = win_x; x < win_x + w; x++) draw_window_cell(x, y);
}

static void update_camera(void);

static void draw_window(void) {
    const AreaDef *a = cur_area();
    update_camera();
    clear_map();
    win_x = (s16)win_origin(st.camera_x, a->w, 8);
    win_y = (s16)win_origin(st.camera_y, a->h, 11);
    int h = a->h < 32 ? a->h : 32;
    for (int y = win_y; y < win_y + h; y++) draw_window_row(y);
}

/* Keep the window around the camera: draw the cells that scroll into it. */
static void stream_map(void) {
    if (!big_area()) return;
    const AreaDef *a = cur_area();
    int nx = win_origin(st.camera_x, a->w, 8), ny = win_origin(st.camera_y, a->h, 11);
    while (win_x < nx) {
        win_x++;
        draw_window_col(win_x + 31);
    }
    while (win_x > nx) {
        win_x--;
        draw_window_col(win_x);
    }
    while (win_y < ny) {
        win_y++;
        draw_window_row(win_y + 31);
    }
    while (win_y > ny) {
        win_y--;
        draw_window_row(win_y);
    }
}

/* Draw the current area's map: whole, or the window around the camera. */
static void redraw_map(void) {
    if (big_area()) draw_window();
    else draw_area();
}

/* ---------------- sprites ---------------- */

static void oam_clear(void) {
    for (int i = 0; i < 128; i++) {
        oam[i * 4] = ATTR0_HIDE;
        oam[i * 4 + 1] = 0;
        oam[i * 4 + 2] = 0;
    }
}

static void oam_set(int i, int x, int y, u16 tile, u16 pal, int hflip) {
    if (x <= -16 || x >= 240 || y <= -16 || y >= 160) {
        oam[i * 4] = ATTR0_HIDE;
        return;
    }
    oam[i * 4] = (u16)ATTR0_Y(y) | ATTR0_SQUARE;
    oam[i * 4 + 1] = (u16)ATTR1_X(x) | ATTR1_SIZE_16 | (hflip ? ATTR1_HFLIP : 0);
    oam[i * 4 + 2] = ATTR2_TILE(tile) | ATTR2_PRIO(1) | ATTR2_PAL(pal);
}

/* A 16x16 sprite drawn at twice its size (affine, double-size box 32x32). */
static void oam_set_big(int i, int x, int y, u16 tile, u16 pal, int affine) {
    oam[i * 4] = (u16)ATTR0_Y(y) | 0x0300;
    oam[i * 4 + 1] = (u16)ATTR1_X(x) | ATTR1_SIZE_16 | (u16)(affine << 9);
    oam[i * 4 + 2] = ATTR2_TILE(tile) | ATTR2_PRIO(1) | ATTR2_PAL(pal);
}

static void set_affine_scale2(int n) {
    oam[(n * 4 + 0) * 4 + 3] = 0x80;
    oam[(n * 4 + 1) * 4 + 3] = 0;
    oam[(n * 4 + 2) * 4 + 3] = 0;
    oam[(n * 4 + 3) * 4 + 3] = 0x80;
}

static u16 person_tile(u16 down, int facing, int walking, int *hflip) {
    /* down, down_walk, up, up_walk, side, side_walk: 4 tiles each */
    u16 t = down;
    *hflip = 0;
    if (facing == DIR_UP) t += 8;
    else if (facing == DIR_LEFT) t += 16;
    else if (facing == DIR_RIGHT) {
        t += 16;
        *hflip = 1;
    }
    if (walking) t += 4;
    return t;
}

static int player_px(void) { return st.player_x * 16 - DX[st.facing] * st.moving * 2; }
static int player_py(void) { return st.player_y * 16 - DY[st.facing] * st.moving * 2; }

static int npc_px(const Npc *n) { return n->x * 16 - DX[n->facing] * n->moving; }
static int npc_py(const Npc *n) { return n->y * 16 - DY[n->facing] * n->moving; }

static void update_camera(void) {
    const AreaDef *a = cur_area();
    int mw = a->w * 16, mh = a->h * 16;
    int cx = player_px() - 112, cy = player_py() - 72;
    if (mw <= 240) cx = (mw - 240) / 2;
    else if (cx < 0) cx = 0;
    else if (cx > mw - 240) cx = mw - 240;
    if (mh <= 160) cy = (mh - 160) / 2;
    else if (cy < 0) cy = 0;
    else if (cy > mh - 160) cy = mh - 160;
    st.camera_x = (s16)cx;
    st.camera_y = (s16)cy;
}

static void build_world_sprites(void) {
    const AreaDef *a = cur_area();
    int hflip;
    int walking = st.moving > STEP_FRAMES / 2;
    u16 t = person_tile(SPR_HERO_DOWN, st.facing, walking, &hflip);
    if (walking && st.facing < DIR_LEFT && (st.steps_taken & 1)) hflip = 1;
    oam_clear();
    oam_set(0, player_px() - st.camera_x, player_py() - st.camera_y, t, OPAL_HERO, hflip);
    for (int i = 0; i < a->nnpcs; i++) {
        const NpcDef *d = &a->npcs[i];
        const Npc *n = &st.npcs[i];
        u16 nt;
        int y = npc_py(n) - st.camera_y;
        if (d->id == NPC_SPIRIT) {
            nt = SPR_SPIRIT;
            hflip = 0;
            y -= ((st.frame_counter >> 4) & 1);
        } else {
            nt = person_tile(SPR_PERSON_DOWN, n->facing, n->moving > NPC_STEP_FRAMES / 2,
                             &hflip);
        }
        oam_set(1 + i, npc_px(n) - st.camera_x, y, nt, d->pal, hflip);
    }
    for (int i = 0; i < a->nitems; i++) {
        const ItemDef *it = &a->items[i];
        if (st.items_taken & (1u << it->index)) continue;
        u16 tile = it->item == ITEM_MOON_FLOWER ? SPR_FLOWER
                   : it->item == ITEM_RED_BALL  ? SPR_BALL
                                                : SPR_POTION;
        int bob = (st.frame_counter >> 5) & 1;
        oam_set(8 + i, it->x * 16 - st.camera_x, it->y * 16 - st.camera_y - bob, tile,
                OPAL_ITEMS, 0);
    }
}

/* ---------------- text box ---------------- */

static void tb_draw_frame(void) {
    draw_box(0, 14, 29, 19);
}

static void tb_measure(void) {
    tb_len = 0;
    while (tb_text[tb_page + tb_len] && tb_text[tb_page + tb_len] != '\f') tb_len++;
}

static void tb_open(const char *text, int question) {
    tb_text = text;
    tb_page = 0;
    tb_shown = 0;
    tb_question = (u8)question;
    tb_state = TB_TYPING;
    tb_cursor = 0;
    tb_answer = 0;
    tb_draw_frame();
    tb_measure();
}

static void tb_render(u16 from, u16 to) {
    int row = 15, col = 2;
    for (u16 i = 0; i < to; i++) {
        char ch = tb_text[tb_page + i];
        if (ch == '\n') {
            row += 2;
            col = 2;
            continue;
        }
        if (i >= from) text_put(col, row, (u8)ch);
        col++;
    }
}

static int tb_last_page(void) { return tb_text[tb_page + tb_len] == 0; }

static void tb_update(void) {
    switch (tb_state) {
    case TB_TYPING: {
        u16 before = tb_shown;
        tb_shown += 2;
        if (pressed & (KEY_A | KEY_B)) tb_shown = tb_len;
        if (tb_shown > tb_len) tb_shown = tb_len;
        tb_render(before, tb_shown);
        if (tb_shown == tb_len) {
            if (tb_last_page() && tb_question) {
                tb_state = TB_QUESTION;
                draw_box(22, 8, 29, 13);
                text_at(24, 9 + 1, "YES");
                text_at(24, 11, "NO");
            } else {
                tb_state = TB_WAIT;
            }
        }
        break;
    }
    case TB_WAIT:
        text_put(28, 18, (st.frame_counter & 16) ? '~' : UI_FILL);
        if (pressed & (KEY_A | KEY_B)) {
            if (tb_last_page()) {
                tb_state = TB_DONE;
            } else {
                tb_page += tb_len + 1;
                tb_shown = 0;
                tb_state = TB_TYPING;
                tb_draw_frame();
                tb_measure();
            }
        }
        break;
    case TB_QUESTION:
        if (pressed & (KEY_UP | KEY_DOWN)) tb_cursor ^= 1;
        st.menu_cursor = tb_cursor;
        text_put(23, 10, tb_cursor == 0 ? '>' : UI_FILL);
        text_put(23, 11, tb_cursor == 1 ? '>' : UI_FILL);
        if (pressed & KEY_A) {
            tb_answer = tb_cursor == 0;
            tb_state = TB_DONE;
        } else if (pressed & KEY_B) {
            tb_answer = 0;
            tb_state = TB_DONE;
        }
        if (tb_state == TB_DONE) text_clear_rows(8, 13);
        break;
    default:
        break;
    }
}

/* ---------------- quest state ---------------- */

static void update_quest_step(void) {
    u8 s = 0;
    while (s < 6 && (st.quest_flags & main_flags[s])) s++;
    st.quest_step = s;
}

static void set_flag(u16 f) {
    st.quest_flags |= f;
    update_quest_step();
}

static void give_item(int item) { st.inventory |= (u16)(1u << item); }
static void take_item(int item) { st.inventory &= (u16)~(1u << item); }
static int has_item(int item) { return (st.inventory >> item) & 1; }

static void sync_potions(void) {
    if (st.potions) give_item(ITEM_POTION);
    else take_item(ITEM_POTION);
}

/* ---------------- modes ---------------- */

static void start_dialogue(int script) {
    st.game_mode = MODE_DIALOGUE;
    st.dialogue_open = 1;
    st.dialogue_id = (u8)script;
    tb_open(script_text[script], script_question[script]);
}

static void close_dialogue(void) {
    st.game_mode = MODE_OVERWORLD;
    st.dialogue_open = 0;
    st.dialogue_id = NO_DIALOGUE;
    tb_state = TB_IDLE;
    text_clear_rows(8, 19);
}

static void start_transition(int kind, int area, int x, int y) {
    st.game_mode = MODE_TRANSITION;
    trans_kind = (u8)kind;
    trans_area = (u8)area;
    trans_x = (u8)x;
    trans_y = (u8)y;
    trans_t = 0;
}

static void show_banner(void) {
    const char *name = cur_area()->name;
    int n = 0;
    while (name[n]) n++;
    draw_box(0, 0, n + 3, 2);
    text_at(2, 1, name);
    banner_timer = 100;
}

static void draw_hud(void) {
    char buf[12];
    text_clear_rows(0, 2);
    hud_shown = 0;
    if (st.hp < st.max_hp && st.game_mode != MODE_TITLE) {
        char *p = buf;
        p = append(p, "@");
        p = append_num(p, st.hp);
        p = append(p, "/");
        append_num(p, st.max_hp);
        draw_box(21, 0, 29, 2);
        text_at(23, 1, buf);
        hud_shown = 1;
    }
    hud_hp = st.hp;
}

static void load_area(int area, int x, int y) {
    st.area = (u8)area;
    st.player_x = (u8)x;
    st.player_y = (u8)y;
    st.moving = 0;
    const AreaDef *a = cur_area();
    for (int i = 0; i < a->nnpcs; i++) {
        st.npcs[i].x = a->npcs[i].x;
        st.npcs[i].y = a->npcs[i].y;
        st.npcs[i].facing = a->npcs[i].facing;
        st.npcs[i].moving = 0;
        st.npcs[i].timer = (u8)(20 + i * 17);
    }
    if (area == AREA_SHRINE) set_flag(FLAG_REACHED_SHRINE);
    redraw_map();
    text_clear_rows(0, 31);
    draw_hud();
    show_banner();
    update_camera();
}

static int npc_at(int x, int y) {
    const AreaDef *a = cur_area();
    for (int i = 0; i < a->nnpcs; i++)
        if (st.npcs[i].x == x && st.npcs[i].y == y) return i;
    return -1;
}

static int warp_at(int x, int y) {
    const AreaDef *a = cur_area();
    for (int i = 0; i < a->nwarps; i++)
        if (a->warps[i].x == x && a->warps[i].y == y) return i;
    return -1;
}

static int can_walk(int x, int y) {
    if (cell_attr(x, y) & ATTR_SOLID) return 0;
    return npc_at(x, y) < 0;
}

static void talk_npc(int i) {
    const NpcDef *d = &cur_area()->npcs[i];
    st.npcs[i].facing = (u8)(st.facing ^ 1); /* face the player */
    int s;
    switch (d->id) {
    case NPC_ELDER:
        if (st.quest_flags & FLAG_QUEST_DONE) s = TXT_ELDER_DONE;
        else if (!(st.quest_flags & FLAG_TALKED_ELDER)) s = TXT_ELDER_ASK;
        else if (st.quest_flags & FLAG_GOT_KEY) s = TXT_ELDER_KEY;
        else if (has_item(ITEM_MOON_FLOWER)) s = TXT_ELDER_FLOWER;
        else s = TXT_ELDER_WAIT;
        break;
    case NPC_NURSE:
        s = TXT_NURSE_ASK;
        break;
    case NPC_HERMIT:
        if (st.quest_flags & FLAG_GOT_KEY) s = TXT_HERMIT_DONE;
        else if (has_item(ITEM_MOON_FLOWER)) s = TXT_HERMIT_TRADE;
        else s = TXT_HERMIT_HELLO;
        break;
    case NPC_GIRL:
        if (st.quest_flags & FLAG_SIDE_DONE) s = TXT_GIRL_DONE;
        else if (has_item(ITEM_RED_BALL)) {
            take_item(ITEM_RED_BALL);
            give_item(ITEM_OLD_CHARM);
            st.max_hp += 5;
            st.hp += 5;
            st.quest_flags |= FLAG_SIDE_STARTED | FLAG_SIDE_DONE;
            s = TXT_GIRL_THANKS;
        } else if (st.quest_flags & FLAG_SIDE_STARTED) s = TXT_GIRL_YES;
        else s = TXT_GIRL_ASK;
        break;
    case NPC_SPIRIT:
        s = (st.quest_flags & FLAG_QUEST_DONE) ? TXT_SPIRIT_DONE : TXT_SPIRIT_TALK;
        break;
    case NPC_HIKER:
        s = TXT_HIKER;
        break;
    case NPC_FARMER:
        s = TXT_FARMER;
        break;
    case NPC_TRAVELER:
        s = TXT_TRAVELER;
        break;
    case NPC_KID:
        s = TXT_KID;
        break;
    default:
        s = TXT_VILLAGER;
        break;
    }
    start_dialogue(s);
}

static void interact(void) {
    int tx = st.player_x + DX[st.facing], ty = st.player_y + DY[st.facing];
    const AreaDef *a = cur_area();
    int n = npc_at(tx, ty);
    if (n >= 0) {
        if (st.npcs[n].moving == 0) talk_npc(n);
        return;
    }
    for (int i = 0; i < a->nsigns; i++)
        if (a->signs[i].x == tx && a->signs[i].y == ty) {
            start_dialogue(a->signs[i].script);
            return;
        }
    if (tx < 0 || ty < 0 || tx >= a->w || ty >= a->h) return;
    u8 attr = legend_attr[cell_legend(tx, ty)];
    if (attr & ATTR_LEVER) {
        if (st.quest_flags & FLAG_BRIDGE_UP) {
            start_dialogue(TXT_LEVER_DONE);
        } else {
            st.quest_flags |= FLAG_BRIDGE_UP;
            redraw_map();
            start_dialogue(TXT_LEVER_PULL);
        }
    } else if ((attr & ATTR_GATE) && !(st.quest_flags & FLAG_GATE_OPEN)) {
        if (has_item(ITEM_GATE_KEY)) {
            take_item(ITEM_GATE_KEY);
            set_flag(FLAG_GATE_OPEN);
            redraw_map();
            start_dialogue(TXT_GATE_OPEN);
        } else {
            start_dialogue(TXT_GATE_LOCKED);
        }
    }
}

static void dialogue_done(void) {
    int s = st.dialogue_id, yes = tb_answer;
    close_dialogue();
    switch (s) {
    case TXT_ELDER_ASK:
        if (yes) set_flag(FLAG_TALKED_ELDER);
        start_dialogue(yes ? TXT_ELDER_YES : TXT_ELDER_NO);
        break;
    case TXT_NURSE_ASK:
        if (yes) {
            st.hp = st.max_hp;
            draw_hud();
        }
        start_dialogue(yes ? TXT_NURSE_YES : TXT_NURSE_NO);
        break;
    case TXT_HERMIT_TRADE:
        if (yes) {
            take_item(ITEM_MOON_FLOWER);
            give_item(ITEM_GATE_KEY);
            set_flag(FLAG_GOT_KEY);
        }
        start_dialogue(yes ? TXT_HERMIT_YES : TXT_HERMIT_NO);
        break;
    case TXT_GIRL_ASK:
        if (yes) st.quest_flags |= FLAG_SIDE_STARTED;
        start_dialogue(yes ? TXT_GIRL_YES : TXT_GIRL_NO);
        break;
    case TXT_SPIRIT_TALK:
        set_flag(FLAG_QUEST_DONE);
        start_dialogue(TXT_THE_END);
        break;
    case TXT_FAINTED:
        start_transition(TK_FAINT, RESPAWN_AREA, RESPAWN_X, RESPAWN_Y);
        break;
    default:
        break;
    }
}

static void start_battle(void) {
    st.battle = 1;
    st.enemy_kind = (u8)(rng_next() % 3);
    st.enemy_max_hp = enemy_hp_max[st.enemy_kind];
    st.enemy_hp = st.enemy_max_hp;
    start_transition(TK_BATTLE_IN, st.area, st.player_x, st.player_y);
}

static void step_done(void) {
    const AreaDef *a = cur_area();
    int x = st.player_x, y = st.player_y;
    st.steps_taken++;
    int w = warp_at(x, y);
    if (w >= 0) {
        const WarpDef *wd = &a->warps[w];
        start_transition(TK_WARP, wd->to_area, wd->to_x, wd->to_y);
        return;
    }
    for (int i = 0; i < a->nitems; i++) {
        const ItemDef *it = &a->items[i];
        if (it->x == x && it->y == y && !(st.items_taken & (1u << it->index))) {
            st.items_taken |= (u16)(1u << it->index);
            if (it->item == ITEM_POTION) {
                st.potions++;
                sync_potions();
                start_dialogue(TXT_FOUND_POTION);
            } else if (it->item == ITEM_MOON_FLOWER) {
                give_item(ITEM_MOON_FLOWER);
                set_flag(FLAG_GOT_FLOWER);
                start_dialogue(TXT_FOUND_FLOWER);
            } else {
                give_item(it->item);
                start_dialogue(TXT_FOUND_BALL);
            }
            return;
        }
    }
    u8 attr = cell_attr(x, y);
    if (attr & ATTR_HAZARD) {
        st.hp = st.hp > 2 ? st.hp - 2 : 0;
        flash = 6;
        if (st.hp == 0) {
            start_dialogue(TXT_FAINTED);
            return;
        }
    }
    if ((attr & ATTR_GRASS) && rng_next() % 8 == 0) start_battle();
}

static void update_npcs(void) {
    const AreaDef *a = cur_area();
    for (int i = 0; i < a->nnpcs; i++) {
        Npc *n = &st.npcs[i];
        const NpcDef *d = &a->npcs[i];
        if (n->moving) {
            n->moving--;
            continue;
        }
        if (!d->wander) continue;
        if (n->timer) {
            n->timer--;
            continue;
        }
        u32 r = rng_next();
        n->timer = (u8)(40 + r % 64);
        int dir = (int)((r >> 8) & 3);
        int nx = n->x + DX[dir], ny = n->y + DY[dir];
        n->facing = (u8)dir;
        int hx = nx - d->x, hy = ny - d->y;
        if (hx < -d->wander || hx > d->wander || hy < -d->wander || hy > d->wander) continue;
        if (cell_attr(nx, ny) & (ATTR_SOLID | ATTR_HAZARD)) continue;
        if (warp_at(nx, ny) >= 0 || npc_at(nx, ny) >= 0) continue;
        if (nx == st.player_x && ny == st.player_y) continue;
        int px = st.player_x - DX[st.facing], py = st.player_y - DY[st.facing];
        if (st.moving && nx == px && ny == py) continue;
        n->x = (u8)nx;
        n->y = (u8)ny;
        n->moving = NPC_STEP_FRAMES;
    }
}

static void open_menu(void);

static void overworld_update(void) {
    update_npcs();
    if (st.moving) {
        st.moving--;
        if (st.moving == 0) step_done();
        if (st.game_mode != MODE_OVERWORLD) return;
    }
    if (st.moving) return;
    if (pressed & KEY_START) {
        open_menu();
        return;
    }
    if (pressed & KEY_A) {
        interact();
        return;
    }
    int dir = -1;
    if (st.keys_held & KEY_DOWN) dir = DIR_DOWN;
    else if (st.keys_held & KEY_UP) dir = DIR_UP;
    else if (st.keys_held & KEY_LEFT) dir = DIR_LEFT;
    else if (st.keys_held & KEY_RIGHT) dir = DIR_RIGHT;
    if (dir < 0) return;
    st.facing = (u8)dir;
    int nx = st.player_x + DX[dir], ny = st.player_y + DY[dir];
    if (can_walk(nx, ny)) {
        st.player_x = (u8)nx;
        st.player_y = (u8)ny;
        st.moving = STEP_FRAMES;
    }
}

/* ---------------- START menu ---------------- */

static void draw_menu(void) {
    text_clear_rows(0, 13);
    draw_box(20, 0, 29, 8);
    text_at(22, 2, "ITEMS");
    text_at(22, 4, "STATUS");
    text_at(22, 6, "CLOSE");
    for (int i = 0; i < 3; i++) text_put(21, 2 + i * 2, st.menu_cursor == i ? '>' : UI_FILL);
}

static void open_menu(void) {
    st.game_mode = MODE_MENU;
    st.menu_open = 1;
    st.menu_cursor = 0;
    draw_menu();
}

static void close_menu(void) {
    st.game_mode = MODE_OVERWORLD;
    st.menu_open = 0;
    st.menu_cursor = 0;
    text_clear_rows(0, 13);
    draw_hud();
}

static void draw_items_page(void) {
    draw_box(0, 0, 19, 12);
    text_at(2, 1, "ITEMS");
    int row = 3;
    for (int i = 0; i < 5; i++) {
        if (!has_item(i)) continue;
        int n = text_at(2, row, item_names[i]);
        if (i == ITEM_POTION) {
            char *p = msg;
            p = append(p, " x");
            append_num(p, st.potions);
            text_at(2 + n, row, msg);
        }
        row += 2;
    }
    if (row == 3) text_at(2, 3, "No items.");
}

static void draw_status_page(void) {
    char *p;
    draw_box(0, 0, 19, 12);
    text_at(2, 1, "EEVEE");
    draw_hpbar(2, 3, st.hp, st.max_hp);
    p = append_num(msg, st.hp);
    p = append(p, "/");
    append_num(p, st.max_hp);
    text_at(10, 3, msg);
    p = append(msg, "STEPS ");
    append_num(p, st.steps_taken);
    text_at(2, 5, msg);
    p = append(msg, "WINS ");
    p = append_num(p, st.battles_won);
    p = append(p, "  FAINTS ");
    append_num(p, st.deaths);
    text_at(2, 7, msg);
    text_at(2, 9, "QUEST:");
    text_at(2, 11, objectives[st.quest_step]);
}

static void menu_update(void) {
    if (st.menu_open >= 2) {
        if (pressed & (KEY_A | KEY_B)) {
            st.menu_open = 1;
            draw_menu();
        }
        return;
    }
    if (pressed & KEY_UP) st.menu_cursor = (u8)((st.menu_cursor + 2) % 3);
    if (pressed & KEY_DOWN) st.menu_cursor = (u8)((st.menu_cursor + 1) % 3);
    if (pressed & (KEY_UP | KEY_DOWN)) draw_menu();
    if (pressed & (KEY_B | KEY_START)) {
        close_menu();
    } else if (pressed & KEY_A) {
        if (st.menu_cursor == 0) {
            st.menu_open = 2;
            draw_items_page();
        } else if (st.menu_cursor == 1) {
            st.menu_open = 3;
            draw_status_page();
        } else {
            close_menu();
        }
    }
}

/* ---------------- battle ---------------- */

static void battle_draw_huds(void) {
    char buf[12], *p;
    text_clear_rows(1, 4);
    draw_box(1, 1, 13, 4);
    text_at(3, 2, enemy_names[st.enemy_kind]);
    draw_hpbar(3, 3, st.enemy_hp, st.enemy_max_hp);
    p = append_num(buf, st.hp);
    p = append(p, "/");
    append_num(p, st.max_hp);
    draw_box(16, 8, 28, 12);
    text_at(18, 9, "EEVEE");
    draw_hpbar(18, 10, st.hp, st.max_hp);
    text_at(28 - (int)(p - buf), 11, buf);
}

static void battle_setup_screen(void) {
    clear_map();
    for (int y = 0; y < 10; y++) {
        for (int x = 0; x < 16; x++) {
            u8 mt = MT_GRASS;
            if (y == 0) mt = MT_TREE;
            else if (y == 1 && (x % 3 == 0)) mt = MT_TREE;
            else if (y == 1 || (y == 2 && x % 4 == 1)) mt = MT_TALLGRASS;
            if (y == 3 && x >= 10 && x <= 13) mt = MT_PATH;
            if (y == 6 && x >= 2 && x <= 5) mt = MT_PATH;
            draw_metatile(x, y, mt);
        }
    }
    st.camera_x = 0;
    st.camera_y = 0;
    text_clear_rows(0, 31);
    battle_draw_huds();
}

static void battle_sprites(void) {
    oam_clear();
    if (st.enemy_hp > 0)
        oam_set_big(1, 168, 20, enemy_spr[st.enemy_kind], enemy_pal[st.enemy_kind],
                    0);
    oam_set_big(2, 40, 68, SPR_HERO_UP, OPAL_HERO, 0);
    set_affine_scale2(0);
}

static void battle_message(const char *text, int next) {
    battle_next = (u8)next;
    st.battle = 2; /* message phase */
    tb_open(text, 0);
}

static void battle_menu(void) {
    st.battle = 1 + 2; /* menu phase */
    st.menu_cursor = 0;
    tb_draw_frame();
    text_at(2, 15, "What will");
    text_at(2, 17, "EEVEE do?");
    draw_box(17, 14, 29, 19);
    text_at(20, 15, "FIGHT");
    text_at(20, 16, "ITEM");
    text_at(20, 17, "RUN");
}

static void battle_enemy_turn(void) {
    u8 dmg = (u8)(1 + rng_next() % 3);
    st.hp = st.hp > dmg ? st.hp - dmg : 0;
    char *p = append(msg, "The ");
    p = append(p, enemy_names[st.enemy_kind]);
    p = append(p, " attacks!\nYou took ");
    p = append_num(p, dmg);
    append(p, " damage.");
    battle_draw_huds();
    battle_message(msg, st.hp ? BN_MENU : BN_LOSE);
}

static void battle_after_message(void) {
    switch (battle_next) {
    case BN_MENU:
        battle_menu();
        break;
    case BN_ENEMY:
        battle_enemy_turn();
        break;
    case BN_WIN: {
        char *p = append(msg, "The ");
        p = append(p, enemy_names[st.enemy_kind]);
        append(p, " fled!\nYou won the battle!");
        st.battles_won++;
        battle_message(msg, BN_ESCAPE);
        break;
    }
    case BN_LOSE:
        battle_next = 0;
        st.battle = 0;
        start_transition(TK_FAINT, RESPAWN_AREA, RESPAWN_X, RESPAWN_Y);
        break;
    default: /* BN_ESCAPE */
        start_transition(TK_BATTLE_OUT, st.area, st.player_x, st.player_y);
        break;
    }
}

static void battle_update(void) {
    if (st.battle == 3) { /* menu */
        if (pressed & KEY_UP) st.menu_cursor = (u8)((st.menu_cursor + 2) % 3);
        if (pressed & KEY_DOWN) st.menu_cursor = (u8)((st.menu_cursor + 1) % 3);
        for (int i = 0; i < 3; i++) text_put(19, 15 + i, st.menu_cursor == i ? '>' : UI_FILL);
        if (!(pressed & KEY_A)) return;
        text_clear_rows(14, 19);
        if (st.menu_cursor == 0) {
            u8 dmg = (u8)(2 + rng_next() % 3);
            st.enemy_hp = st.enemy_hp > dmg ? st.enemy_hp - dmg : 0;
            char *p = append(msg, "EEVEE attacks!\nIt did ");
            p = append_num(p, dmg);
            append(p, " damage.");
            battle_draw_huds();
            battle_message(msg, st.enemy_hp ? BN_ENEMY : BN_WIN);
        } else if (st.menu_cursor == 1) {
            if (st.potions) {
                st.potions--;
                sync_potions();
                st.hp = st.hp + 10 > st.max_hp ? st.max_hp : st.hp + 10;
                battle_draw_huds();
                battle_message("You drank a POTION.\nHP restored!", BN_ENEMY);
            } else {
                battle_message("You have no items\nto use!", BN_MENU);
            }
        } else {
            if (rng_next() % 4) battle_message("You got away safely!", BN_ESCAPE);
            else battle_message("You couldn't get\naway!", BN_ENEMY);
        }
        return;
    }
    tb_update();
    if (tb_state == TB_DONE) {
        tb_state = TB_IDLE;
        battle_after_message();
    }
}

/* ---------------- transitions ---------------- */

static void transition_midpoint(void) {
    switch (trans_kind) {
    case TK_NEWGAME:
        st.hp = st.max_hp = 20;
        st.facing = DIR_DOWN;
        load_area(START_AREA, START_X, START_Y);
        break;
    case TK_WARP:
        load_area(trans_area, trans_x, trans_y);
        break;
    case TK_BATTLE_IN:
        battle_setup_screen();
        break;
    case TK_BATTLE_OUT:
        st.battle = 0;
        st.enemy_hp = 0;
        st.menu_cursor = 0;
        tb_state = TB_IDLE;
        load_area(st.area, st.player_x, st.player_y);
        break;
    default: /* TK_FAINT */
        st.battle = 0;
        st.enemy_hp = 0;
        st.deaths++;
        st.hp = st.max_hp;
        st.facing = DIR_DOWN;
        tb_state = TB_IDLE;
        load_area(trans_area, trans_x, trans_y);
        break;
    }
}

static void transition_update(void) {
    trans_t++;
    if (trans_t == 8) transition_midpoint();
    int level = trans_t <= 8 ? trans_t * 2 : (16 - trans_t) * 2;
    st.transition = (u8)level;
    if (trans_t >= 16) {
        st.transition = 0;
        if (trans_kind == TK_BATTLE_IN) {
            st.game_mode = MODE_BATTLE;
            char *p = append(msg, "A wild ");
            p = append(p, enemy_names[st.enemy_kind]);
            append(p, "\nappeared!");
            battle_message(msg, BN_MENU);
        } else {
            st.game_mode = MODE_OVERWORLD;
        }
    }
}

/* ---------------- title ---------------- */

static void draw_title(void) {
    st.area = START_AREA;
    draw_area();
    st.camera_x = 64;
    st.camera_y = 40;
    text_clear_rows(0, 31);
    draw_box(2, 2, 27, 7);
    for (int i = 0; i < LOGO_LEN; i++) {
        u8 t = logo_tiles[i];
        if (t == 255) continue;
        int c = 4 + i * 2;
        text_put(c, 3, t);
        text_put(c + 1, 3, t + 1);
        text_put(c, 4, t + 2);
        text_put(c + 1, 4, t + 3);
    }
    text_at(6, 6, "The Silent Shrine");
    draw_box(4, 17, 25, 19);
    text_at(6, 18, "(C) 2026 EEVEE TEAM");
}

static void title_update(void) {
    int on = (st.frame_counter & 32) == 0;
    if (on) {
        draw_box(8, 11, 21, 13);
        text_at(9, 12, " PRESS START");
    } else {
        text_clear_rows(11, 13);
    }
    if (pressed & KEY_START) {
        st.rng_state ^= st.frame_counter * 0x9E3779B1u;
        if (!st.rng_state) st.rng_state = 0x2545F491u;
        start_transition(TK_NEWGAME, START_AREA, START_X, START_Y);
    }
}

/* ---------------- main ---------------- */

static void init_video(void) {
    REG_DISPCNT = DCNT_BLANK;
    copy32(CHARBLOCK(0), ui_tiles, UI_TILE_COUNT * 8);
    copy32(CHARBLOCK(1) + 64, bg_tiles, MT_COUNT * 32);
    for (int i = 0; i < 64; i++) CHARBLOCK(1)[i] = 0;
    copy32(OBJ_TILES, obj_tiles, sizeof(obj_tiles) / 4);
    for (u32 i = 0; i < sizeof(bg_palettes) / 2; i++) {
        int bank = i < 80 ? (int)i : (int)i + (14 - 5) * 16;
        MEM_PAL[bank] = bg_palettes[i];
    }
    for (u32 i = 0; i < sizeof(obj_palettes) / 2; i++) MEM_PAL_OBJ[i] = obj_palettes[i];
    REG_BG0CNT = BG_PRIO(0) | BG_CBB(0) | BG_SBB(TEXT_SB) | BG_4BPP | BG_REG_32x32;
    REG_BG1CNT = BG_PRIO(3) | BG_CBB(1) | BG_SBB(MAP_SB) | BG_4BPP | BG_REG_64x64;
    REG_BLDCNT = 0;
    oam_clear();
    for (int i = 0; i < 512; i++) MEM_OAM[i] = oam[i];
}

static void present(void) {
    for (int i = 0; i < 512; i++) MEM_OAM[i] = oam[i];
    REG_BG1HOFS = (u16)st.camera_x;
    REG_BG1VOFS = (u16)st.camera_y;
    if (st.game_mode == MODE_TRANSITION) {
        REG_BLDCNT = trans_kind == TK_BATTLE_IN ? 0x00BF : 0x00FF;
        REG_BLDY = st.transition;
    } else if (flash) {
        REG_BLDCNT = 0x00BF;
        REG_BLDY = (u16)(flash * 2);
    } else {
        REG_BLDCNT = 0;
    }
}

int main(void) {
    irq_init_vblank();
    st.rng_state = 0x2545F491u;
    st.dialogue_id = NO_DIALOGUE;
    st.max_hp = 20;
    st.hp = 20;
    init_video();
    draw_title();
    REG_DISPCNT = DCNT_MODE0 | DCNT_BG0 | DCNT_BG1 | DCNT_OBJ | DCNT_OBJ_1D;
    for (;;) {
        VBlankIntrWait();
        present();
        st.frame_counter++;
        u16 keys = (u16)(~REG_KEYINPUT & KEY_MASK);
        pressed = keys & (u16)~keys_prev;
        keys_prev = keys;
        st.keys_held = keys;
        if (flash) flash--;
        switch (st.game_mode) {
        case MODE_TITLE:
            title_update();
            break;
        case MODE_OVERWORLD:
            overworld_update();
            if (banner_timer && --banner_timer == 0) draw_hud();
            if (st.game_mode == MODE_OVERWORLD && !banner_timer &&
                (hud_hp != st.hp || (hud_shown != (st.hp < st.max_hp))))
                draw_hud();
            break;
        case MODE_DIALOGUE:
            tb_update();
            if (tb_state == TB_DONE) dialogue_done();
            break;
        case MODE_MENU:
            menu_update();
            break;
        case MODE_BATTLE:
            battle_update();
            break;
        default:
            transition_update();
            break;
        }
        if (st.game_mode == MODE_BATTLE ||
            (st.game_mode == MODE_TRANSITION && trans_kind == TK_BATTLE_IN && trans_t >= 8) ||
            (st.game_mode == MODE_TRANSITION && trans_kind == TK_BATTLE_OUT && trans_t < 8)) {
            battle_sprites();
        } else if (st.game_mode != MODE_TITLE) {
            if (st.game_mode != MODE_TRANSITION || trans_t >= 8 || trans_kind != TK_NEWGAME) {
                update_camera();
                stream_map();
                build_world_sprites();
            }
        }
    }
}
