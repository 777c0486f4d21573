/* EEVEE GROVE: a short Game Boy RPG in the manner of GB Studio games. A title with a
 * NEW GAME / CONTINUE menu, a typed intro, a naming screen, then a village, a house and
 * a forest walked with free pixel movement; the elder's cat is lost in the forest.
 *
 * Frame loop: HALT until the vblank interrupt, then push the prepared OAM (DMA),
 * palettes, scroll and at most one batch of background rows (or one map column) to VRAM
 * while it is accessible; HALT again until line 4 (LY=LYC interrupt), then read the
 * joypad and run the game logic, which only writes RAM. Running the logic early in the
 * frame means an emulator that ends its frames at vblank or at line 0 always sees a
 * finished frame. Game logic depends only on the buttons and on its own counters (never
 * on frame_counter, which counts the title's time too, nor on timing), so the same
 * inputs from the title on give the same game on every emulator. */
#define GROVE_MAIN
#include "grove.h"

__at(STATE_ADDRESS) struct State st;
__at(0xD000) u8 oam_buf[160];

u8 pressed;
u8 v_scx, v_scy, win_want;
u8 load_row, load_end;
u8 col_job;
const u8 *col_src;
volatile u8 *col_dst;

static u8 v_bgp, v_obp;
static u8 scr[SCR_H * SCR_W]; /* text screens (title, intro, naming, end) */
static u8 win[WIN_H * SCR_W]; /* the text box (window layer) */
static u8 scr_lo, scr_hi;     /* scr rows [lo, hi) not yet in VRAM */
static u8 win_dirty;          /* bit n: window row n not yet in VRAM */
static u8 fade_black;

#define LCDC_BASE (LCDC_ON | LCDC_WIN_9C00 | LCDC_OBJ_16 | LCDC_OBJ_ON | LCDC_BG_ON)

static const u8 bit[8] = {1, 2, 4, 8, 16, 32, 64, 128};
static const u16 row20[SCR_H] = {
    0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220, 240, 260, 280, 300, 320, 340,
};

/* ---- vblank ------------------------------------------------------------------- */

/* The next area row to copy: src from the area's tiles, dst a background map row. An
 * area wider than the map holds columns loaded_col.. at map column (c & 31): a row is
 * load_n1 tiles from map column load_b, then load_b tiles from map column 0. */
static const u8 *load_src;
static volatile u8 *load_dst;
static u8 load_n1, load_b, load_w;

void start_area_load(void) {
    load_src = cur->tiles + st.loaded_col;
    load_dst = VRAM_MAP0;
    load_w = cur->w;
    load_b = cur->w > 32 ? st.loaded_col & 31 : 0;
    load_n1 = cur->w > 32 ? 32 - load_b : cur->w;
    load_row = 0;
    load_end = cur->h;
}

static void copy_area_row(void) {
    vram_src = load_src;
    vram_dst = load_dst + load_b;
    g_len = load_n1;
    copy_n();
    if (load_b) {
        vram_src = load_src + load_n1;
        vram_dst = load_dst;
        g_len = load_b;
        copy_n();
    }
    load_src += load_w;
    load_dst += 32;
}

/* Runs first thing in vblank: OAM, palettes, scroll, then one VRAM job. */
static void vblank_work(void) {
    u8 n, r;
    oam_dma();
    rBGP = v_bgp;
    rOBP0 = v_obp;
    rSCX = v_scx;
    rSCY = v_scy;
    if (col_job) {
        vram_src = col_src;
        vram_dst = col_dst;
        g_stride = cur->w;
        copy_col32();
        col_job = 0;
    } else if (load_row < load_end) {
        n = 2;
        do {
            copy_area_row();
            load_row++;
        } while (--n && load_row < load_end);
    } else if (scr_lo < scr_hi) {
        n = 3;
        r = scr_lo;
        vram_src = scr + row20[r];
        vram_dst = VRAM_MAP0 + ((u16)r << 5);
        for (;;) {
            copy_row20();
            if (++r == scr_hi || !--n) break;
            vram_src += SCR_W;
            vram_dst += 32;
        }
        scr_lo = r;
    } else if (win_dirty) {
        n = 2;
        for (r = 0; r < WIN_H; r++) {
            if (win_dirty & bit[r]) {
                vram_src = win + row20[r];
                vram_dst = VRAM_MAP1 + ((u16)r << 5);
                copy_row20();
                win_dirty &= (u8)~bit[r];
                if (!--n) break;
            }
        }
    }
    rLCDC = (win_want && !win_dirty) ? (LCDC_BASE | LCDC_WIN_ON) : LCDC_BASE;
    n = rLY;
    n = n >= 144 ? n - 143 : n + 11;
    if (n > 10) st.vblank_overruns++;
    if (n > st.vblank_lines) st.vblank_lines = n;
}

/* ---- text screens -------------------------------------------------------------- */

static void scr_mark(u8 row) {
    if (scr_lo >= scr_hi) {
        scr_lo = row;
        scr_hi = row + 1;
    } else if (row < scr_lo) {
        scr_lo = row;
    } else if (row >= scr_hi) {
        scr_hi = row + 1;
    }
}

static void scr_clear(void) {
    u8 *p = scr;
    u16 i;
    for (i = SCR_H * SCR_W; i; i--) *p++ = ' ';
    scr_lo = 0;
    scr_hi = SCR_H;
}

static void scr_put(u8 col, u8 row, u8 tile) {
    scr[row20[row] + col] = tile;
    scr_mark(row);
}

static void scr_text(u8 col, u8 row, const char *s) {
    u8 *p = scr + row20[row] + col;
    while (*s) *p++ = (u8)*s++;
    scr_mark(row);
}

static void scr_trees(void) {
    u8 *p = scr + row20[SCR_H - 2];
    u8 i;
    for (i = 0; i < SCR_W; i += 2) {
        p[0] = tree_tiles[0];
        p[1] = tree_tiles[1];
        p[SCR_W] = tree_tiles[2];
        p[SCR_W + 1] = tree_tiles[3];
        p += 2;
    }
    scr_mark(SCR_H - 2);
    scr_mark(SCR_H - 1);
}

static void scr_rows(u8 col, u8 row, const u8 *tiles, u8 w, u8 h) {
    u8 x;
    while (h--) {
        u8 *p = scr + row20[row] + col;
        for (x = 0; x < w; x++) *p++ = *tiles++;
        scr_mark(row++);
    }
}

/* ---- the text box (window layer) ----------------------------------------------- */

void win_box(void) {
    u8 *p = win;
    u8 r, i;
    for (r = 0; r < WIN_H; r++) {
        u8 l = T_FRAME_LEFT, m = ' ', e = T_FRAME_RIGHT;
        if (r == 0) {
            l = T_FRAME_TL;
            m = T_FRAME_TOP;
            e = T_FRAME_TR;
        } else if (r == WIN_H - 1) {
            l = T_FRAME_BL;
            m = T_FRAME_BOTTOM;
            e = T_FRAME_BR;
        }
        *p++ = l;
        for (i = 0; i < SCR_W - 2; i++) *p++ = m;
        *p++ = e;
    }
    win_dirty = (1 << WIN_H) - 1;
}

/* ---- typed text: the intro (on the screen) and dialogue pages (in the box) ----- */

#define TEXT_LINES 5
#define LINE_CHARS 18
#define INTRO_ROW 4
static u8 tline[TEXT_LINES][LINE_CHARS];
static u8 tlen[TEXT_LINES];
static u8 t_line, t_col, t_win, t_lines;

static void text_put(u8 line, u8 col, u8 ch) {
    if (t_win) {
        u8 row = (u8)(1 + (line << 1));
        win[row20[row] + 1 + col] = ch;
        win_dirty |= (u8)(1 << row);
    } else {
        scr_put((u8)(1 + col), (u8)(INTRO_ROW + (line << 1)), ch);
    }
}

static void arrow(u8 on) {
    if (t_win) {
        win[row20[WIN_H - 1] + SCR_W - 3] = on ? T_ARROW_DOWN : T_FRAME_BOTTOM;
        win_dirty |= 1 << (WIN_H - 1);
    } else {
        scr_put(SCR_W - 2, INTRO_ROW + 2 * TEXT_LINES + 1, on ? T_ARROW_DOWN : ' ');
    }
}

/* Lay out a page ('\n' between lines, '@' the player's name) and clear its lines. */
void text_setup(const char *s, u8 in_window) {
    u8 line = 0, col = 0, i, total = 0;
    t_win = in_window;
    for (i = 0; i < TEXT_LINES; i++) tlen[i] = 0;
    for (; *s; s++) {
        if (*s == '\n') {
            tlen[line++] = col;
            col = 0;
        } else if (*s == '@') {
            for (i = 0; i < st.name_len; i++) tline[line][col++] = st.name[i];
        } else {
            tline[line][col++] = (u8)*s;
        }
    }
    tlen[line] = col;
    t_lines = line + 1;
    for (i = 0; i < TEXT_LINES; i++) {
        u8 row = (u8)(1 + (i << 1));
        u8 *p = in_window ? win + row20[row] + 1 : scr + row20[INTRO_ROW + (i << 1)] + 1;
        for (col = 0; col < LINE_CHARS; col++) *p++ = ' ';
        if (in_window) win_dirty |= (u8)(1 << row);
        else scr_mark((u8)(INTRO_ROW + (i << 1)));
        total += tlen[i];
        if (in_window && i == 1) break;
    }
    arrow(0);
    t_line = t_col = 0;
    st.text_shown = 0;
    st.text_length = total;
    st.type_timer = 0;
    st.blink = 0;
}

static void type_one(void) {
    while (t_col >= tlen[t_line]) {
        t_line++;
        t_col = 0;
    }
    text_put(t_line, t_col, tline[t_line][t_col]);
    t_col++;
    if (++st.text_shown == st.text_length) {
        st.blink = 0;
        arrow(1);
    }
}

/* The rest of the page at once (line by line: one character at a time is too slow). */
void text_finish(void) {
    for (; t_line < t_lines; t_line++, t_col = 0) {
        u8 n = tlen[t_line], row;
        u8 *p;
        const u8 *s = &tline[t_line][t_col];
        if (t_col >= n) continue;
        if (t_win) {
            row = (u8)(1 + (t_line << 1));
            p = win + row20[row] + 1 + t_col;
            win_dirty |= (u8)(1 << row);
        } else {
            row = (u8)(INTRO_ROW + (t_line << 1));
            p = scr + row20[row] + 1 + t_col;
            scr_mark(row);
        }
        for (; t_col < n; t_col++) *p++ = *s++;
    }
    if (st.text_shown != st.text_length) {
        st.text_shown = st.text_length;
        st.blink = 0;
        arrow(1);
    }
}

/* One frame of text: type a character every TYPE_FRAMES, or blink the page-end arrow. */
void text_tick(void) {
    if (st.text_shown < st.text_length) {
        if (++st.type_timer >= TYPE_FRAMES) {
            st.type_timer = 0;
            type_one();
        }
        return;
    }
    st.blink++;
    if ((st.blink & 15) == 0) arrow(!(st.blink & 16));
}

/* ---- fades between screens ----------------------------------------------------- */

static void set_level(u8 level) {
    v_bgp = fade_bgp[fade_black][level];
    v_obp = fade_obp[fade_black][level];
}

void start_fade(u8 next_mode, u8 to_black) {
    st.game_mode = MODE_TRANSITION;
    st.next_mode = next_mode;
    st.transition = 0;
    fade_black = to_black;
}

void hide_sprites(void) {
    u8 i;
    for (i = 0; i < 4 * (2 + 2 * AREA_NPCS); i += 4) oam_buf[i] = 0;
}

static void draw_title(void);
static void draw_naming(void);
static void draw_end(void);
static void intro_page(void);

/* The screen is blank: set up the next one (its VRAM is written over the next frames). */
static void begin_load(void) {
    win_want = 0;
    st.dialogue_open = 0;
    st.dialogue_id = NONE;
    if (st.next_mode == MODE_OVERWORLD) {
        world_load();
        return;
    }
    hide_sprites();
    v_scx = v_scy = 0;
    st.camera_x = st.camera_y = 0;
    scr_clear();
    switch (st.next_mode) {
    case MODE_TITLE: draw_title(); break;
    case MODE_INTRO:
        st.text_page = 0;
        intro_page();
        break;
    case MODE_NAMING: draw_naming(); break;
    default: draw_end(); break;
    }
}

/* 4 steps of 4 frames out, LOAD_FRAMES blank, 4 steps of 4 frames in. */
static void step_fade(void) {
    u8 t = st.transition;
    if (t < FADE_OUT_FRAMES) {
        if (!(t & 3)) set_level((u8)((t >> 2) + 1));
    } else if (t == FADE_OUT_FRAMES) {
        begin_load();
    } else if (t >= FADE_OUT_FRAMES + LOAD_FRAMES) {
        u8 k = (u8)(t - (FADE_OUT_FRAMES + LOAD_FRAMES));
        if (!(k & 3)) set_level((u8)(3 - (k >> 2)));
    }
    if (t == TRANSITION_FRAMES - 1) {
        st.transition = 0;
        st.game_mode = st.next_mode;
        return;
    }
    st.transition = t + 1;
}

/* ---- title ------------------------------------------------------------------- */

#define MENU_ROW 10
#define MENU_COL 7
#define MESSAGE_ROW 14

static void draw_title(void) {
    st.menu_cursor = 0;
    st.message_timer = 0;
    scr_text(7, 1, STR_EEVEE);
    scr_rows(3, 3, &logo_rows[0][0], LOGO_W, LOGO_H);
    scr_put(2, 3, T_LEAF);
    scr_put(17, 5, T_LEAF);
    scr_text(1, 7, STR_TAGLINE);
    scr_text(MENU_COL, MENU_ROW, STR_NEW_GAME);
    scr_text(MENU_COL, MENU_ROW + 2, STR_CONTINUE);
    scr_put(MENU_COL - 2, MENU_ROW, T_CURSOR);
    scr_trees();
}

static void new_game(void) {
    u8 i;
    st.quest_step = 0;
    st.quest_flags = 0;
    st.play_frames = 0;
    st.name_len = DEFAULT_NAME_LEN;
    for (i = 0; i < NAME_CHARS; i++) st.name[i] = i < DEFAULT_NAME_LEN ? DEFAULT_NAME[i] : 0;
}

static void update_title(void) {
    if (st.message_timer) {
        if (--st.message_timer == 0) scr_text(4, MESSAGE_ROW, STR_NO_SAVE_OFF);
        return;
    }
    if (pressed & (J_UP | J_DOWN)) {
        scr_put(MENU_COL - 2, (u8)(MENU_ROW + (st.menu_cursor << 1)), ' ');
        st.menu_cursor ^= 1;
        scr_put(MENU_COL - 2, (u8)(MENU_ROW + (st.menu_cursor << 1)), T_CURSOR);
    }
    if (pressed & (J_A | J_START)) {
        if (st.menu_cursor == 0) {
            new_game();
            start_fade(MODE_INTRO, 1);
        } else {
            scr_text(4, MESSAGE_ROW, STR_NO_SAVE);
            st.message_timer = MESSAGE_FRAMES;
        }
    }
}

/* ---- intro ------------------------------------------------------------------- */

static void intro_page(void) {
    text_setup(intro_pages[st.text_page], 0);
}

static void update_intro(void) {
    if (pressed & J_A) {
        if (st.text_shown < st.text_length) {
            text_finish();
        } else if (st.text_page + 1 < INTRO_PAGES) {
            st.text_page++;
            intro_page();
        } else {
            start_fade(MODE_NAMING, 0);
        }
        return;
    }
    text_tick();
}

/* ---- naming ------------------------------------------------------------------ */

#define KEY_DEL 26
#define KEY_END 27
#define NAME_COL 7
#define NAME_ROW 5
static const u8 key_x[28] = {
    3, 5, 7, 9, 11, 13, 15, 3, 5, 7, 9, 11, 13, 15,
    3, 5, 7, 9, 11, 13, 15, 3, 5, 7, 9, 11, 13, 17,
};
static const u8 key_row7[4] = {0, 7, 14, 21};

static u8 key_y(u8 k) {
    u8 r = 0;
    while (k >= 7) {
        k -= 7;
        r++;
    }
    return (u8)(8 + (r << 1));
}

static void draw_name(void) {
    u8 i;
    for (i = 0; i < NAME_CHARS; i++)
        scr_put((u8)(NAME_COL + i), NAME_ROW, i < st.name_len ? st.name[i] : '_');
}

static void naming_cursor(u8 on) {
    scr_put((u8)(key_x[st.menu_cursor] - 1), key_y(st.menu_cursor), on ? T_CURSOR : ' ');
}

static void draw_naming(void) {
    u8 k;
    scr_text(2, 2, STR_NAME);
    for (k = 0; k < 26; k++) scr_put(key_x[k], key_y(k), (u8)('A' + k));
    scr_text(key_x[KEY_DEL], key_y(KEY_DEL), STR_DEL);
    scr_text(key_x[KEY_END], key_y(KEY_END), STR_END);
    draw_name();
    st.menu_cursor = 0;
    naming_cursor(1);
    scr_trees();
}

static void update_naming(void) {
    u8 k = st.menu_cursor, row = 0, col;
    while (k >= 7) {
        k -= 7;
        row++;
    }
    col = k;
    if (pressed & J_UP) row = row ? row - 1 : 3;
    else if (pressed & J_DOWN) row = row == 3 ? 0 : row + 1;
    else if (pressed & J_LEFT) col = col ? col - 1 : 6;
    else if (pressed & J_RIGHT) col = col == 6 ? 0 : col + 1;
    k = (u8)(key_row7[row] + col);
    if (pressed & J_START) k = KEY_END;
    if (k != st.menu_cursor) {
        naming_cursor(0);
        st.menu_cursor = k;
        naming_cursor(1);
    }
    if (pressed & J_B) {
        if (st.name_len) st.name_len--;
        draw_name();
    } else if (pressed & J_A) {
        k = st.menu_cursor;
        if (k < 26) {
            if (st.name_len < NAME_CHARS) st.name[st.name_len++] = (u8)('A' + k);
        } else if (k == KEY_DEL) {
            if (st.name_len) st.name_len--;
        } else if (st.name_len) {
            st.quest_flags |= 8;
            st.next_area = START_AREA;
            st.next_x = START_X;
            st.next_y = START_Y;
            st.next_facing = START_FACING;
            start_fade(MODE_OVERWORLD, 0);
        }
        draw_name();
    }
}

/* ---- the end ------------------------------------------------------------------ */

static void draw_end(void) {
    u8 i, col = 3 + sizeof(STR_PLAYING) - 1;
    scr_rows(3, 4, &end_rows[0][0], END_W, END_H);
    scr_text(3, 9, STR_THANKS);
    scr_text(3, 11, STR_PLAYING);
    for (i = 0; i < st.name_len; i++) scr_put((u8)(col + 1 + i), 11, st.name[i]);
    scr_put((u8)(col + 1 + st.name_len), 11, '!');
    scr_trees();
}

/* ---- start-up and the frame loop ---------------------------------------------- */

static void copy_tiles(volatile u8 *dst, const u8 *src, u16 n) {
    while (n--) *dst++ = *src++;
}

static void init_video(void) {
    u16 i;
    wait_vblank();
    rLCDC = 0; /* only during vblank */
    copy_tiles(VRAM_TILES, sprite_tiles, SPRITE_TILES * 16);
    copy_tiles(VRAM_TILES + 0x800, bg_tiles_hi, BG_HI_TILES * 16);
    copy_tiles(VRAM_TILES + 0x1000, bg_tiles_lo, BG_LO_TILES * 16);
    for (i = 0; i < 0x800; i++) VRAM_MAP0[i] = ' '; /* both maps */
    for (i = 0; i < 160; i++) OAM[i] = 0;
    dma_init();
    rSCX = rSCY = 0;
    rWY = WINDOW_Y;
    rWX = 7;
    rBGP = v_bgp = fade_bgp[0][4];
    rOBP0 = v_obp = fade_obp[0][4];
    rOBP1 = 0xE4;
    rNR52 = 0; /* sound off */
    rLCDC = LCDC_BASE;
}

void main(void) {
    u8 vc;
    st.dialogue_id = NONE;
    init_video();
    start_fade(MODE_TITLE, 0);
    st.transition = FADE_OUT_FRAMES; /* the screen is already blank: load, fade in */
    for (;;) {
        wait_vblank();
        vblank_work();
        /* logic from line 4 on: it always finishes within the same emulator frame */
        wait_line();
        vc = vbl_count;
        st.keys_prev = st.keys;
        st.keys = read_keys();
        pressed = st.keys & (u8)~st.keys_prev;
        st.frame_counter++;
        switch (st.game_mode) {
        case MODE_TITLE: update_title(); break;
        case MODE_OVERWORLD: update_play(); break;
        case MODE_DIALOGUE: update_dialogue(); break;
        case MODE_INTRO: update_intro(); break;
        case MODE_NAMING: update_naming(); break;
        case MODE_TRANSITION: step_fade(); break;
        default:
            if (pressed & J_START) start_fade(MODE_TITLE, 0);
            break;
        }
        if (vbl_count != vc) st.logic_overruns++;
    }
}
