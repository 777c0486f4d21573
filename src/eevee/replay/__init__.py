"""Recording and exact replay of runs, and video export.

Every run records what reproduces it exactly (:mod:`eevee.replay.recorder`): the
starting savestate, the buttons of every frame (run-length coded, a few bytes a change),
screen and RAM hashes every second of game time, and the agent's decisions and views.
:mod:`eevee.replay.reader` reads a recording back, naming the frame where a damaged one
breaks; :mod:`eevee.replay.replayer` steps the buttons again and checks the hashes;
:mod:`eevee.replay.video` renders a replay to MP4 with the agent's view beside it.
"""
