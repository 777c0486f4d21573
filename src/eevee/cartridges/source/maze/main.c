/* EEVEE MAZE: a top-down Game Boy explorer. Five rooms joined by doors, a key in the
 * vault, a locked door in the crypt and the exit stairs in the gate room.
 *
 * Frame loop: HALT until the vblank interrupt, push the prepared OAM / palette / up to
 * three changed background rows to VRAM while it is accessible, HALT again until line 4
 * (LY=LYC interrupt), then read the joypad and run the game logic, which only writes
 * RAM (a shadow of the background map). Running the logic early in the frame means an
 * emulator that ends its frames at vblank or at line 0 always sees a finished frame.
 * Game logic depends only on its own frame count and on the buttons, never on timing. */
#include "gb.h"
#include "maze_data.h"

__at(STATE_ADDRESS) struct State st;

#define MODE_TITLE 0
#define MODE_PLAY 1
#define MODE_TRANSITION 2
#define MODE_ESCAPED 6

#define MAP_W 20
#define MAP_H 18
#define ROWS_PER_VBLANK 3

static u8 shadow[MAP_H * MAP_W];
static u8 dirty_lo, dirty_hi; /* shadow rows [lo, hi) not yet in VRAM */
static u8 oam_buf[8];
static u8 bgp;
static u8 title_blink;

static const s8 dir_dx[4] = {0, 0, -1, 1};
static const s8 dir_dy[4] = {1, -1, 0, 0};
static const u8 fade[4] = {0xE4, 0x90, 0x40, 0x00};

/* ---- video ------------------------------------------------------------------ */

static const u16 row_off[MAP_H] = {
    0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220, 240, 260, 280, 300, 320, 340,
};

/* Runs first thing in vblank: palette, the player's two OAM entries and up to
 * ROWS_PER_VBLANK changed background rows (the asm copy keeps this inside vblank). */
static void vblank_work(void) {
    u8 n = ROWS_PER_VBLANK, r;
    volatile u8 *oam = OAM;
    const u8 *ob = oam_buf;
    rBGP = bgp;
    for (r = 8; r; r--) *oam++ = *ob++;
    r = dirty_lo;
    if (r >= dirty_hi) return;
    vram_src = shadow + row_off[r];
    vram_dst = VRAM_MAP0 + ((u16)r << 5);
    for (;;) {
        copy_row20();
        if (++r == dirty_hi || !--n) break;
        vram_src += MAP_W;
        vram_dst += 32;
    }
    dirty_lo = r;
}

static void mark_all(void) {
    dirty_lo = 0;
    dirty_hi = MAP_H;
}

static void mark(u8 row) {
    if (dirty_lo >= dirty_hi) {
        dirty_lo = row;
        dirty_hi = row + 1;
    } else if (row < dirty_lo) {
        dirty_lo = row;
    } else if (row >= dirty_hi) {
        dirty_hi = row + 1;
    }
}

static void clear_shadow(u8 tile) {
    u8 *p = shadow;
    u16 i;
    for (i = MAP_H * MAP_W; i; i--) *p++ = tile;
    mark_all();
}

static void put(u8 col, u8 row, u8 tile) {
    shadow[row_off[row] + col] = tile;
    mark(row);
}

static void text(u8 col, u8 row, const char *s) {
    u8 *p = shadow + row_off[row] + col;
    while (*s) *p++ = (u8)*s++;
    mark(row);
}

static void big_text(u8 col, u8 row, const char *s) {
    u8 *p = shadow + row_off[row] + col;
    while (*s) {
        u8 t = big_tiles[(u8)(*s - 'A')];
        p[0] = t;
        p[1] = t + 1;
        p[MAP_W] = t + 2;
        p[MAP_W + 1] = t + 3;
        p += 2;
        s++;
    }
    mark(row);
    mark(row + 1);
}

static const u16 pow10[5] = {10000, 1000, 100, 10, 1};

/* v in decimal with leading zeros (no division: sdcc's is slow) */
static void number(u8 col, u8 row, u16 v, u8 digits) {
    u8 *p = shadow + row_off[row] + col;
    const u16 *pw = pow10 + 5 - digits;
    while (digits--) {
        u8 d = '0';
        u16 w = *pw++;
        while (v >= w) {
            v -= w;
            d++;
        }
        *p++ = d;
    }
    mark(row);
}

static void draw_cell_code(u8 x, u8 y, u8 code) {
    const u8 *t = cell_tiles[code];
    u8 row = (u8)(y << 1);
    u8 *p = shadow + row_off[row] + (u8)(x << 1);
    p[0] = t[0];
    p[1] = t[1];
    p[MAP_W] = t[2];
    p[MAP_W + 1] = t[3];
    mark(row);
    mark(row + 1);
}

static void wall_band(u8 cell_row) {
    u8 x;
    for (x = 0; x < ROOM_W; x++) draw_cell_code(x, cell_row, C_WALL);
}

static void hide_player(void) {
    oam_buf[0] = 0;
    oam_buf[4] = 0;
}

static void show_player(u8 px, u8 py) {
    u8 base, flip = 0, pose;
    pose = (st.move_timer != 0 && st.anim) ? 4 : 0;
    switch (st.facing) {
    case 0: base = S_PLAYER_DOWN1; break;
    case 1: base = S_PLAYER_UP1; break;
    default: base = S_PLAYER_LEFT1; flip = st.facing == 3; break;
    }
    base += pose;
    oam_buf[0] = py + 16;
    oam_buf[1] = px + 8;
    oam_buf[4] = py + 16;
    oam_buf[5] = px + 16;
    if (flip) {
        oam_buf[2] = base + 2;
        oam_buf[6] = base;
        oam_buf[3] = 0x20;
        oam_buf[7] = 0x20;
    } else {
        oam_buf[2] = base;
        oam_buf[6] = base + 2;
        oam_buf[3] = 0;
        oam_buf[7] = 0;
    }
}

/* ---- screens ----------------------------------------------------------------- */

/* Whole screens are drawn in phases, one per frame, to keep each frame's logic short. */
static void draw_title(u8 phase) {
    if (phase == 0) {
        clear_shadow(T_BLANK);
        return;
    }
    if (phase == 1) {
        wall_band(0);
        wall_band(8);
        return;
    }
    if (phase != 2) return;
    big_text(5, 3, "EEVEE");
    big_text(6, 6, "MAZE");
    text(3, 9, "FIND THE KEY");
    text(3, 10, "AND ESCAPE!");
    text(2, 12, "PRESS START");
    put(14, 12, T_BOX);
}

static u8 cell_at(u8 x, u8 y) {
    u8 code = room_cells[st.area][y * ROOM_W + x];
    if (code == C_KEY && (st.quest_flags & 1)) return C_FLOOR;
    if (code == C_LOCKED && (st.quest_flags & 2)) return C_OPEN;
    return code;
}

static void draw_hud(void) {
    u8 i;
    u8 *p = shadow + 16 * MAP_W;
    for (i = 0; i < MAP_W; i++) {
        p[0] = T_HUD_LINE;
        p[MAP_W] = T_BLANK;
        p++;
    }
    mark(16);
    text(1, 17, room_names[st.area]);
    if (st.inventory & 1) {
        put(17, 17, T_HUD_KEY);
        put(18, 17, 'x');
        put(19, 17, '1');
    }
}

static void draw_room(u8 phase) {
    u8 x, y, code;
    const u8 *src = room_cells[st.area];
    u8 *p = shadow;
    if (phase == 2) {
        draw_hud();
        return;
    }
    if (phase > 1) return;
    if (phase == 1) { /* the bottom half */
        src += ROOM_W * ROOM_H / 2;
        p += MAP_W * ROOM_H;
    }
    for (y = 0; y < ROOM_H / 2; y++) {
        for (x = 0; x < ROOM_W; x++) {
            const u8 *t;
            code = *src++;
            if (code == C_KEY && (st.quest_flags & 1)) code = C_FLOOR;
            else if (code == C_LOCKED && (st.quest_flags & 2)) code = C_OPEN;
            t = cell_tiles[code];
            p[0] = t[0];
            p[1] = t[1];
            p[MAP_W] = t[2];
            p[MAP_W + 1] = t[3];
            p += 2;
        }
        p += MAP_W;
    }
    mark_all();
}

static void draw_end(u8 phase) {
    u16 secs;
    u8 mins = 0;
    if (phase == 0) {
        clear_shadow(T_BLANK);
    } else if (phase == 1) {
        wall_band(0);
        wall_band(8);
    } else if (phase == 2) {
        big_text(7, 2, "YOU");
        big_text(3, 5, "ESCAPED");
        text(4, 8, "STEPS");
        text(4, 9, "FALLS");
        text(4, 10, "TIME");
        text(4, 13, "PRESS START");
    } else if (phase == 3) {
        number(12, 8, st.steps, 4);
        number(12, 9, st.falls, 4);
        secs = st.play_frames / 60;
        while (secs >= 60) {
            secs -= 60;
            mins++;
        }
        number(11, 10, mins, 2);
        put(13, 10, ':');
        number(14, 10, secs, 2);
    }
}

/* ---- game logic -------------------------------------------------------------- */

static void begin_transition(u8 next) {
    st.game_mode = MODE_TRANSITION;
    st.next_mode = next;
    st.transition = TRANSITION_FRAMES;
}

static void enter_room(u8 room, u8 x, u8 y) {
    st.area = room;
    st.player_x = st.entry_x = x;
    st.player_y = st.entry_y = y;
    st.pixel_x = x * 16;
    st.pixel_y = y * 16;
    st.move_timer = 0;
    st.rooms_visited |= (u8)(1 << room);
    begin_transition(MODE_PLAY);
}

static void start_game(void) {
    st.inventory = 0;
    st.quest_flags = 0;
    st.quest_step = 0;
    st.steps = 0;
    st.falls = 0;
    st.play_frames = 0;
    st.rooms_visited = 0;
    st.facing = 0;
    st.anim = 0;
    enter_room(START_ROOM, START_X, START_Y);
}

static void step_transition(void) {
    u8 t = --st.transition;
    if (t >= TRANSITION_FRAMES - 4) {
        bgp = fade[TRANSITION_FRAMES - t - 1 < 4 ? TRANSITION_FRAMES - t - 1 : 3];
        hide_player();
    } else if (t <= TRANSITION_FRAMES - 5 && t >= TRANSITION_FRAMES - 8) {
        u8 phase = (u8)(TRANSITION_FRAMES - 5 - t);
        bgp = 0x00;
        if (st.next_mode == MODE_PLAY) draw_room(phase);
        else if (st.next_mode == MODE_ESCAPED) draw_end(phase);
        else draw_title(phase);
    } else if (t < 4) {
        bgp = fade[t];
    }
    if (t == 0) {
        bgp = 0xE4;
        st.game_mode = st.next_mode;
    }
}

static void use_door(void) {
    u8 i;
    for (i = 0; i < DOOR_COUNT; i++) {
        const u8 *d = door_table[i];
        if (d[0] == st.area && d[1] == st.player_x && d[2] == st.player_y) {
            enter_room(d[3], d[4] & 15, d[4] >> 4);
            return;
        }
    }
}

static void finish_step(void) {
    u8 code;
    if (st.unlocking) {
        st.unlocking = 0;
        st.quest_flags |= 2;
        if (st.quest_step < 2) st.quest_step = 2;
        draw_cell_code((u8)(st.player_x + dir_dx[st.facing]),
                       (u8)(st.player_y + dir_dy[st.facing]), C_OPEN);
        return;
    }
    st.player_x = st.pixel_x >> 4;
    st.player_y = st.pixel_y >> 4;
    st.steps++;
    code = cell_at(st.player_x, st.player_y);
    if (code == C_KEY) {
        st.inventory |= 1;
        st.quest_flags |= 1;
        if (st.quest_step < 1) st.quest_step = 1;
        draw_cell_code(st.player_x, st.player_y, C_FLOOR);
        draw_hud();
    } else if (code == C_DOOR || code == C_OPEN) {
        use_door();
    } else if (code == C_EXIT) {
        st.quest_flags |= 4;
        st.quest_step = 3;
        begin_transition(MODE_ESCAPED);
    } else if (code == C_WATER) {
        st.falls++;
        st.player_x = st.entry_x;
        st.player_y = st.entry_y;
        st.pixel_x = st.entry_x * 16;
        st.pixel_y = st.entry_y * 16;
        st.facing = 0;
    }
}

static void try_start_step(void) {
    u8 d, nx, ny, code;
    if (st.keys & J_UP) d = 1;
    else if (st.keys & J_DOWN) d = 0;
    else if (st.keys & J_LEFT) d = 2;
    else if (st.keys & J_RIGHT) d = 3;
    else return;
    st.facing = d;
    nx = (u8)(st.player_x + dir_dx[d]);
    ny = (u8)(st.player_y + dir_dy[d]);
    if (nx >= ROOM_W || ny >= ROOM_H) return;
    code = cell_at(nx, ny);
    if (code == C_WALL || code == C_ROCK) return;
    if (code == C_LOCKED) {
        if (!(st.inventory & 1)) return;
        st.unlocking = 1;
    }
    st.move_timer = STEP_FRAMES;
    st.anim ^= 1;
}

static void update_play(void) {
    st.play_frames++;
    if (st.move_timer == 0) try_start_step();
    if (st.move_timer) {
        if (!st.unlocking) {
            st.pixel_x += dir_dx[st.facing] * STEP_PIXELS;
            st.pixel_y += dir_dy[st.facing] * STEP_PIXELS;
        }
        if (--st.move_timer == 0) finish_step();
    }
    if (st.game_mode == MODE_PLAY) show_player(st.pixel_x, st.pixel_y);
}

static void update_title(void) {
    u8 on = (st.frame_counter & 32) ? 0 : 1;
    if (on != title_blink) {
        title_blink = on;
        text(2, 12, on ? "PRESS START" : "           ");
    }
    st.facing = 0;
    st.move_timer = 0;
    show_player(72, 112);
    if ((st.keys & J_START) && !(st.keys_prev & J_START)) {
        hide_player();
        start_game();
    }
}

static void rng_step(void) {
    u16 x = st.rng_state;
    x ^= x << 7;
    x ^= x >> 9;
    x ^= x << 8;
    st.rng_state = x;
}

static void init_video(void) {
    u16 i;
    volatile u8 *p;
    wait_vblank();
    rLCDC = 0; /* only during vblank */
    p = VRAM_TILES;
    for (i = 0; i < TILE_COUNT * 16; i++) p[i] = tile_data[i];
    p = OAM;
    for (i = 0; i < 160; i++) p[i] = 0;
    rSCX = 0;
    rSCY = 0;
    rBGP = bgp = 0xE4;
    rOBP0 = 0xE4;
    rOBP1 = 0xE4;
    draw_title(0);
    draw_title(1);
    draw_title(2);
    for (i = 0; i < MAP_H; i++) {
        u8 j;
        for (j = 0; j < MAP_W; j++) VRAM_MAP0[i * 32 + j] = shadow[i * MAP_W + j];
    }
    dirty_lo = dirty_hi = 0;
    title_blink = 1;
    rNR52 = 0; /* sound off */
    rLCDC = LCDC_ON | LCDC_TILES_8000 | LCDC_OBJ_16 | LCDC_OBJ_ON | LCDC_BG_ON;
}

void main(void) {
    st.rng_state = 0xACE1;
    st.game_mode = MODE_TITLE;
    init_video();
    for (;;) {
        wait_vblank();
        vblank_work();
        /* logic from line 4 on: it always finishes within the same emulator frame */
        wait_line();
        st.keys_prev = st.keys;
        st.keys = read_keys();
        st.frame_counter++;
        rng_step();
        switch (st.game_mode) {
        case MODE_TITLE: update_title(); break;
        case MODE_PLAY: update_play(); break;
        case MODE_TRANSITION: step_transition(); break;
        case MODE_ESCAPED:
            if ((st.keys & J_START) && !(st.keys_prev & J_START)) begin_transition(MODE_TITLE);
            break;
        default: break;
        }
    }
}
