"""A ball bouncing in a box: VPython's hello world.

Run it with the lab's Python; VPython 7 draws in a browser tab (or in a
Jupyter notebook). Change g, the ball's velocity or the walls and run again.
"""
from vpython import box, color, rate, sphere, vector

side = 4.0
wall = 0.2
floor = box(pos=vector(0, -side, 0), size=vector(2 * side, wall, 2 * side), color=color.green)
left = box(pos=vector(-side, 0, 0), size=vector(wall, 2 * side, 2 * side), color=color.blue)
right = box(pos=vector(side, 0, 0), size=vector(wall, 2 * side, 2 * side), color=color.blue)

ball = sphere(pos=vector(0, side / 2, 0), radius=0.5, color=color.red, make_trail=True, retain=200)
velocity = vector(2.5, 0, 0)
g = vector(0, -9.8, 0)
dt = 0.01

while True:
    rate(100)
    velocity = velocity + g * dt
    ball.pos = ball.pos + velocity * dt
    if ball.pos.y - ball.radius < floor.pos.y + wall / 2 and velocity.y < 0:
        velocity.y = -velocity.y
    if abs(ball.pos.x) + ball.radius > side - wall / 2 and velocity.x * ball.pos.x > 0:
        velocity.x = -velocity.x
