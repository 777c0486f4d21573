/* EEVEE GROVE: what main.c (frame loop, video, screens, text) and world.c (the areas,
 * people and the quest) share. */
#ifndef GROVE_H
#define GROVE_H
#include "gb.h"
#include "grove_data.h"

#define SCR_W 20
#define SCR_H 18
#define WIN_H 5
#define NONE 0xFF

#ifndef GROVE_MAIN /* main.c defines them at fixed addresses */
extern struct State st; /* at STATE_ADDRESS */
extern u8 oam_buf[160]; /* at 0xD000: copied to OAM by DMA every vblank */
#endif
extern u8 pressed;      /* buttons that went down this frame */

/* ---- video (main.c): what the next vblank writes ---- */
extern u8 v_scx, v_scy;
extern u8 win_want;          /* show the window once its rows are in VRAM */
extern u8 load_row, load_end; /* rows of the current area still to copy */
extern u8 col_job;           /* 1: copy one area column (col_src, col_dst) */
extern const u8 *col_src;
extern volatile u8 *col_dst;
extern const struct Area *cur;

/* ---- gvram.s ---- */
extern u8 g_len, g_stride;
void copy_n(void);     /* g_len (1..32) bytes vram_src -> vram_dst, one 256-byte page */
void copy_col32(void); /* 32 bytes, vram_src stride g_stride -> vram_dst stride 32 */
void dma_init(void);   /* put the OAM DMA routine in HRAM */
void oam_dma(void);    /* copy oam_buf to OAM (vblank only) */

/* ---- main.c ---- */
void start_fade(u8 next_mode, u8 to_black);
void win_box(void);
void text_setup(const char *page, u8 in_window);
void text_finish(void);
void text_tick(void);
void hide_sprites(void);
void start_area_load(void);

/* ---- world.c ---- */
void world_load(void);
void update_play(void);
void update_dialogue(void);
void build_oam(void);

#endif
