// vphone-screen-paint DISPLAY RRGGBB: paints the root window of X display DISPLAY one colour (what
// xsetroot -solid does) so a screen-sharing test knows what the screen shows. Exit 1 when the
// display cannot be opened.
#include <X11/Xlib.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: vphone-screen-paint DISPLAY RRGGBB\n");
        return 2;
    }
    Display* dpy = XOpenDisplay(argv[1]);
    if (dpy == nullptr) {
        std::fprintf(stderr, "vphone-screen-paint: cannot open display %s\n", argv[1]);
        return 1;
    }
    const unsigned long rgb = std::strtoul(argv[2], nullptr, 16);
    // A 24-bit TrueColor visual (Xvfb -screen 0 WxHx24): the pixel is the RGB value itself.
    const Window root = DefaultRootWindow(dpy);
    XSetWindowBackground(dpy, root, rgb);
    XClearWindow(dpy, root);
    XSync(dpy, False);
    XCloseDisplay(dpy);
    return 0;
}
