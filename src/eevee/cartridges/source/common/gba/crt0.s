@ Eevee GBA runtime start-up: cartridge header, stacks, .data/.bss set-up,
@ an IRQ handler that acknowledges interrupts for the BIOS (VBlankIntrWait).
    .section .crt0, "ax"
    .arm
    .global _start
_start:
    b       _entry
    @ 0x04: Nintendo logo area (156 bytes). Left blank: emulators started
    @ without the BIOS intro do not check it, and we do not ship Nintendo data.
    .fill   156, 1, 0
    @ 0xA0: title (12), game code (4), maker (2), 0x96, unit, device, reserved (7),
    @ version, complement check. Filled by the Python build (header.py).
    .fill   12, 1, 0
    .fill   4, 1, 0
    .fill   2, 1, 0
    .byte   0x96, 0x00, 0x00
    .fill   7, 1, 0
    .byte   0x00, 0x00
    .fill   2, 1, 0
_entry:
    @ IRQ mode stack
    mov     r0, #0x12
    msr     cpsr_c, r0
    ldr     sp, =__sp_irq
    @ System mode stack
    mov     r0, #0x1F
    msr     cpsr_c, r0
    ldr     sp, =__sp_usr
    @ copy .iwram code/data from ROM
    ldr     r0, =__iwram_lma
    ldr     r1, =__iwram_start
    ldr     r2, =__iwram_end
1:  cmp     r1, r2
    ldrlt   r3, [r0], #4
    strlt   r3, [r1], #4
    blt     1b
    @ copy .data
    ldr     r0, =__data_lma
    ldr     r1, =__data_start
    ldr     r2, =__data_end
2:  cmp     r1, r2
    ldrlt   r3, [r0], #4
    strlt   r3, [r1], #4
    blt     2b
    @ zero .bss (IWRAM) and .ewram_bss
    mov     r3, #0
    ldr     r1, =__bss_start
    ldr     r2, =__bss_end
3:  cmp     r1, r2
    strlt   r3, [r1], #4
    blt     3b
    ldr     r1, =__ewram_bss_start
    ldr     r2, =__ewram_bss_end
4:  cmp     r1, r2
    strlt   r3, [r1], #4
    blt     4b
    @ install the IRQ handler
    ldr     r0, =0x03007FFC
    ldr     r1, =irq_handler
    str     r1, [r0]
    @ call main (Thumb or ARM) and hang if it returns
    ldr     r0, =main
    mov     lr, pc
    bx      r0
5:  b       5b

    .section .iwram_code, "ax"
    .arm
    .global irq_handler
irq_handler:
    @ r0 = 0x04000000 (set by the BIOS). Acknowledge every pending, enabled
    @ interrupt in IF and in the BIOS flag word so VBlankIntrWait returns.
    mov     r0, #0x04000000
    ldr     r1, [r0, #0x200]        @ IE (low half) | IF (high half)
    and     r1, r1, r1, lsr #16     @ pending & enabled
    add     r2, r0, #0x200
    strh    r1, [r2, #2]            @ ack IF
    ldr     r2, =0x03007FF8
    ldrh    r3, [r2]
    orr     r3, r3, r1
    strh    r3, [r2]
    ldr     r2, =irq_count
    ldr     r3, [r2]
    add     r3, r3, #1
    str     r3, [r2]
    bx      lr

    .section .bss
    .align 2
    .global irq_count
irq_count:
    .word 0
    .pool
