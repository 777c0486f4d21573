/* EEVEE GROVE: the areas (village, the elder's house, the forest), walking, the camera,
 * the people, the text box and the quest.
 *
 * Positions are pixels in the area (u16). The player is a 16x16 sprite that collides
 * with its feet, the lower 16x8 box, against the area's 8x8 collision map (0 free,
 * 1 solid, 0x80 + n: door n) and against people's whole 16x16 boxes. It moves 1 pixel
 * a frame while a direction is held (UP, then DOWN, LEFT, RIGHT win); the middle of its
 * feet on a door's cell takes it through. The camera keeps it centred, clamped to the
 * area; areas wider than the 32-tile background map stream columns as it scrolls. */
#include "grove.h"

const struct Area *cur;

static const s8 dir_dx[4] = {0, 0, -1, 1};
static const s8 dir_dy[4] = {1, -1, 0, 0};
static const u8 pose_tile[4] = {S_PLAYER_DOWN1, S_PLAYER_UP1, S_PLAYER_LEFT1, S_PLAYER_LEFT1};

#define WALK_WAIT 60 /* frames a walking person rests at each end */
#define TALK_REACH 4 /* pixels in front of the player's feet that reach a person */

/* ---- collision --------------------------------------------------------------- */

static u8 coll_at(u8 col, u8 row) {
    return cur->coll[cur->rows[row] + col];
}

/* Whether the feet box of a player at (x, y) is on free tiles inside the area. */
static u8 feet_free(u16 x, u16 y) {
    u8 c0, c1, r0, r1, c;
    if (x > (u16)(cur->w << 3) - 16 || y > (u16)(cur->h << 3) - 16) return 0;
    c0 = (u8)(x >> 3);
    c1 = (u8)((x + 15) >> 3);
    r0 = (u8)((y + 8) >> 3);
    r1 = (u8)((y + 15) >> 3);
    for (; r0 <= r1; r0++)
        for (c = c0; c <= c1; c++)
            if (coll_at(c, r0) == 1) return 0;
    return 1;
}

static u8 overlap(u16 ax, u16 ay, u8 ah, u16 bx, u16 by) {
    /* a: 16 x ah at (ax, ay); b: 16 x 16 at (bx, by) */
    return ax < bx + 16 && bx < ax + 16 && ay < by + 16 && by < ay + ah;
}

/* The person whose box the player's feet at (x, y) would overlap, or NONE. */
static u8 person_at(u16 x, u16 y) {
    u8 i;
    for (i = 0; i < st.npc_count; i++)
        if (overlap(x, y + 8, 8, st.npc_x[i], st.npc_y[i])) return i;
    return NONE;
}

/* ---- people ------------------------------------------------------------------ */

static void spawn_people(void) {
    u8 i, n = 0;
    for (i = 0; i < NPC_COUNT; i++) {
        const struct Npc *p = &npcs[i];
        if (p->area != st.area || st.quest_step < p->show_lo || st.quest_step > p->show_hi)
            continue;
        st.npc_id[n] = i;
        st.npc_x[n] = p->x;
        st.npc_y[n] = p->y;
        st.npc_phase[n] = 0;
        st.npc_timer[n] = 0;
        n++;
    }
    st.npc_count = n;
}

/* A walker goes `walk` pixels right, rests, comes back, rests; it waits while the
 * player is in its way. */
static void move_people(void) {
    u8 i;
    for (i = 0; i < st.npc_count; i++) {
        const struct Npc *p = &npcs[st.npc_id[i]];
        u8 phase = st.npc_phase[i];
        if (!p->walk) continue;
        if (phase & 1) {
            if (++st.npc_timer[i] == WALK_WAIT) {
                st.npc_timer[i] = 0;
                st.npc_phase[i] = (phase + 1) & 3;
            }
        } else {
            u16 nx = phase ? st.npc_x[i] - 1 : st.npc_x[i] + 1;
            if (overlap(st.player_x, st.player_y + 8, 8, nx, st.npc_y[i])) continue;
            st.npc_x[i] = nx;
            if (++st.npc_timer[i] == p->walk) {
                st.npc_timer[i] = 0;
                st.npc_phase[i] = phase + 1;
            }
        }
    }
}

/* ---- camera and sprites -------------------------------------------------------- */

static void update_camera(void) {
    u16 max_x = (u16)(cur->w << 3) - 160, max_y = (u16)(cur->h << 3) - 144;
    u16 cx = st.player_x + 8, cy = st.player_y + 8;
    cx = cx > 80 ? cx - 80 : 0;
    cy = cy > 72 ? cy - 72 : 0;
    if (cx > max_x) cx = max_x;
    if (cy > max_y) cy = max_y;
    st.camera_x = cx;
    st.camera_y = cy;
    v_scx = (u8)cx;
    v_scy = (u8)cy;
}

/* First area column the background map should hold: a margin left of the screen. */
static u8 wanted_col(void) {
    u8 c = (u8)(st.camera_x >> 3);
    c = c > 6 ? c - 6 : 0;
    if (c > cur->w - 32) c = cur->w - 32;
    return c;
}

static void queue_col(u8 c) {
    col_src = cur->tiles + c;
    col_dst = VRAM_MAP0 + (c & 31);
    col_job = 1;
}

static void stream_cols(void) {
    u8 want;
    if (cur->w <= 32 || col_job) return;
    want = wanted_col();
    if (want > st.loaded_col) {
        queue_col(st.loaded_col + 32);
        st.loaded_col++;
    } else if (want < st.loaded_col) {
        st.loaded_col--;
        queue_col(st.loaded_col);
    }
}

static void put_sprite(u8 *o, u16 x, u16 y, u8 tile, u8 flip) {
    u8 sx, sy;
    if (tile == NONE || x + 16 <= st.camera_x || x >= st.camera_x + 160 ||
        y + 16 <= st.camera_y || y >= st.camera_y + 144) {
        o[0] = o[4] = 0;
        return;
    }
    sx = (u8)(x + 8 - st.camera_x);
    sy = (u8)(y + 16 - st.camera_y);
    if (st.dialogue_open && sy > WINDOW_Y) { /* under the text box */
        o[0] = o[4] = 0;
        return;
    }
    o[0] = o[4] = sy;
    o[1] = sx;
    o[5] = sx + 8;
    if (flip) {
        o[2] = tile + 2;
        o[6] = tile;
        o[3] = o[7] = 0x20;
    } else {
        o[2] = tile;
        o[6] = tile + 2;
        o[3] = o[7] = 0;
    }
}

void build_oam(void) {
    u8 i, tile = pose_tile[st.facing];
    u8 *o = oam_buf + 8;
    if (st.moving && (st.walk_count & 8)) tile += 4;
    put_sprite(oam_buf, st.player_x, st.player_y, tile, st.facing == 3);
    for (i = 0; i < AREA_NPCS; i++, o += 8) {
        if (i < st.npc_count) {
            const struct Npc *p = &npcs[st.npc_id[i]];
            put_sprite(o, st.npc_x[i], st.npc_y[i], p->sprite, st.npc_phase[i] < 2 && p->walk);
        } else {
            o[0] = o[4] = 0;
        }
    }
}

/* ---- entering an area ---------------------------------------------------------- */

/* During a fade, on a blank screen: place the player, the people and the camera and
 * queue the whole map for VRAM. */
void world_load(void) {
    st.area = st.next_area;
    st.player_x = st.next_x;
    st.player_y = st.next_y;
    st.facing = st.next_facing;
    st.moving = 0;
    cur = &areas[st.area];
    spawn_people();
    update_camera();
    st.loaded_col = cur->w > 32 ? wanted_col() : 0;
    col_job = 0;
    start_area_load();
    build_oam();
}

/* ---- the text box ---------------------------------------------------------------- */

static void open_dialogue(u8 d) {
    st.game_mode = MODE_DIALOGUE;
    st.dialogue_id = d;
    st.dialogue_open = 1;
    st.text_page = 0;
    st.moving = 0;
    win_box();
    text_setup(pages[dialogues[d].first], 1);
    win_want = 1;
    build_oam();
}

static void talk_to(u8 slot) {
    const struct Npc *p = &npcs[st.npc_id[slot]];
    u8 k = st.quest_step;
    if (k >= p->talk_n) k = p->talk_n - 1;
    open_dialogue(p->talk[k]);
}

static void close_dialogue(void) {
    u8 effect = dialogues[st.dialogue_id].effect;
    win_want = 0;
    st.dialogue_open = 0;
    st.dialogue_id = NONE;
    st.game_mode = MODE_OVERWORLD;
    if (effect == 1 && st.quest_step == 0) {
        st.quest_step = 1;
        st.quest_flags |= 1;
    } else if (effect == 2 && st.quest_step == 1) {
        st.quest_step = 2;
        st.quest_flags |= 2;
        spawn_people(); /* the cat goes home */
    } else if (effect == 3 && st.quest_step == 2) {
        st.quest_step = 3;
        st.quest_flags |= 4;
        start_fade(MODE_DONE, 1);
    }
    build_oam();
}

void update_dialogue(void) {
    const struct Dialogue *d = &dialogues[st.dialogue_id];
    if (pressed & J_A) {
        if (st.text_shown < st.text_length) {
            text_finish();
        } else if (st.text_page + 1 < d->pages) {
            st.text_page++;
            text_setup(pages[d->first + st.text_page], 1);
        } else {
            close_dialogue();
        }
        return;
    }
    text_tick();
}

/* ---- walking ------------------------------------------------------------------- */

void update_play(void) {
    u8 d = NONE, i;
    u16 nx, ny;
    st.play_frames++;
    st.moving = 0;
    if (pressed & J_A) { /* talk to whoever the player faces, within TALK_REACH */
        nx = st.player_x + dir_dx[st.facing] * TALK_REACH;
        ny = st.player_y + dir_dy[st.facing] * TALK_REACH;
        i = person_at(nx, ny);
        if (i != NONE) {
            talk_to(i);
            return;
        }
    }
    if (st.keys & J_UP) d = 1;
    else if (st.keys & J_DOWN) d = 0;
    else if (st.keys & J_LEFT) d = 2;
    else if (st.keys & J_RIGHT) d = 3;
    if (d != NONE) {
        st.facing = d;
        nx = st.player_x + dir_dx[d];
        ny = st.player_y + dir_dy[d];
        if (feet_free(nx, ny)) {
            i = person_at(nx, ny);
            if (i == NONE) {
                st.player_x = nx;
                st.player_y = ny;
                st.moving = 1;
                st.walk_count++;
                i = coll_at((u8)((nx + 8) >> 3), (u8)((ny + 12) >> 3));
                if (i & 0x80) { /* a door */
                    const struct Door *door = &doors[i & 0x7F];
                    st.next_area = door->to_area;
                    st.next_x = door->x;
                    st.next_y = door->y;
                    st.next_facing = door->facing;
                    start_fade(MODE_OVERWORLD, 0);
                    build_oam();
                    return;
                }
            } else if (npcs[st.npc_id[i]].touch) {
                talk_to(i);
                return;
            }
        }
    }
    move_people();
    update_camera();
    stream_cols();
    build_oam();
}
