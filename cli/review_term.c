/* The review's terminal: /dev/tty in raw mode (so that standard input and
   output stay free for pipes), keys one at a time, a small line editor, and
   the signals that must give the terminal back as it was. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <unistd.h>

#include "review.h"

/* How long to wait for the rest of an escape sequence after ESC. */
#define ESCAPE_WAIT_MS 40
#define MAX_COLUMNS 100

struct errata_review_term {
    int fd;
    FILE *out;
    struct termios saved;
    int signal_fd;
    sigset_t saved_mask;
    int caught;
    int pending; /* a byte read ahead, or -1 */
};

static int fail_errno(const char *what, char *err, size_t err_size)
{
    snprintf(err, err_size, "%s: %s", what, strerror(errno));
    return -1;
}

static int enter_raw_mode(errata_review_term *term)
{
    struct termios raw = term->saved;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | IEXTEN); /* ISIG stays: Ctrl-C is a signal */
    raw.c_iflag &= ~(tcflag_t)(IXON | ICRNL | INLCR | ISTRIP);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    return tcsetattr(term->fd, TCSADRAIN, &raw);
}

static void leave_raw_mode(errata_review_term *term)
{
    fflush(term->out);
    tcsetattr(term->fd, TCSADRAIN, &term->saved);
}

/* The signals are blocked and read from a signalfd in the key loop, so they
   never interrupt a sidecar write and need no global state. */
static int catch_signals(errata_review_term *term)
{
    sigset_t mask;
    sigemptyset(&mask);
    int signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP};
    for (size_t i = 0; i < sizeof signals / sizeof *signals; i++)
        sigaddset(&mask, signals[i]);
    if (sigprocmask(SIG_BLOCK, &mask, &term->saved_mask) != 0)
        return -1;
    term->signal_fd = signalfd(-1, &mask, SFD_CLOEXEC);
    return term->signal_fd < 0 ? -1 : 0;
}

int errata_review_term_open(errata_review_term **out, char *err, size_t err_size)
{
    errata_review_term *term = calloc(1, sizeof *term);
    if (!term) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    term->signal_fd = -1;
    term->pending = -1;
    term->fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (term->fd < 0) {
        fail_errno("review needs a terminal (/dev/tty)", err, err_size);
        free(term);
        return -1;
    }
    int out_fd = dup(term->fd);
    term->out = out_fd >= 0 ? fdopen(out_fd, "w") : NULL;
    if (!term->out || tcgetattr(term->fd, &term->saved) != 0) {
        fail_errno("/dev/tty", err, err_size);
        if (out_fd >= 0 && !term->out)
            close(out_fd);
        if (term->out)
            fclose(term->out);
        close(term->fd);
        free(term);
        return -1;
    }
    if (catch_signals(term) || enter_raw_mode(term)) {
        fail_errno("/dev/tty", err, err_size);
        errata_review_term_close(term);
        return -1;
    }
    *out = term;
    return 0;
}

void errata_review_term_close(errata_review_term *term)
{
    if (!term)
        return;
    leave_raw_mode(term);
    fclose(term->out);
    close(term->fd);
    if (term->signal_fd >= 0)
        close(term->signal_fd);
    sigprocmask(SIG_SETMASK, &term->saved_mask, NULL);
    free(term);
}

FILE *errata_review_term_out(errata_review_term *term) { return term->out; }

int errata_review_term_signal(const errata_review_term *term) { return term->caught; }

int errata_review_term_columns(errata_review_term *term)
{
    struct winsize ws;
    if (ioctl(term->fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col < 20)
        return 80;
    return ws.ws_col > MAX_COLUMNS ? MAX_COLUMNS : ws.ws_col;
}

/* ------------------------------------------------------------ keys */

/* Ctrl-Z: give the terminal back, stop, and take it again when continued. */
static void suspend(errata_review_term *term)
{
    leave_raw_mode(term);
    kill(getpid(), SIGSTOP);
    enter_raw_mode(term);
}

/* A signal arrived: 1 if it ends the review, 0 if the review goes on. */
static int take_signal(errata_review_term *term)
{
    struct signalfd_siginfo info;
    if (read(term->signal_fd, &info, sizeof info) != (ssize_t)sizeof info)
        return 0;
    if (info.ssi_signo == SIGTSTP) {
        suspend(term);
        return 0;
    }
    term->caught = (int)info.ssi_signo;
    return 1;
}

/* Wait up to timeout_ms (-1: for ever) for a byte: the byte, or a KEY_* value;
   -4 on timeout. */
static int read_byte(errata_review_term *term, int timeout_ms)
{
    if (term->pending >= 0) {
        int c = term->pending;
        term->pending = -1;
        return c;
    }
    fflush(term->out);
    for (;;) {
        struct pollfd fds[2] = {{term->fd, POLLIN, 0}, {term->signal_fd, POLLIN, 0}};
        int n = poll(fds, 2, timeout_ms);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ERRATA_REVIEW_KEY_ERROR;
        if (n == 0)
            return -4;
        if ((fds[1].revents & POLLIN) && take_signal(term))
            return ERRATA_REVIEW_KEY_SIGNAL;
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            unsigned char c;
            ssize_t got = read(term->fd, &c, 1);
            if (got == 1)
                return c;
            if (got == 0 || errno == EIO)
                return ERRATA_REVIEW_KEY_EOF;
            if (errno != EINTR && errno != EAGAIN)
                return ERRATA_REVIEW_KEY_ERROR;
        }
    }
}

/* After ESC: skip a CSI or SS3 sequence (arrow keys…); 1 if one was skipped. */
static int skip_escape_sequence(errata_review_term *term)
{
    int c = read_byte(term, ESCAPE_WAIT_MS);
    if (c != '[' && c != 'O') {
        if (c >= 0)
            term->pending = c;
        return 0;
    }
    do
        c = read_byte(term, ESCAPE_WAIT_MS);
    while (c >= 0 && !(c >= 0x40 && c <= 0x7E)); /* up to the final byte */
    return 1;
}

/* The rest of a UTF-8 sequence whose lead byte is lead (U+FFFD if broken). */
static int32_t read_utf8_tail(errata_review_term *term, int lead)
{
    int n = lead >= 0xF0 && lead <= 0xF4 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC2 ? 1 : -1;
    if (n < 0 || lead > 0xF4)
        return 0xFFFD;
    int32_t cp = lead & (0x3F >> n);
    for (int i = 0; i < n; i++) {
        int c = read_byte(term, ESCAPE_WAIT_MS);
        if (c < 0 || (c & 0xC0) != 0x80) {
            if (c >= 0)
                term->pending = c;
            return 0xFFFD;
        }
        cp = cp << 6 | (c & 0x3F);
    }
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF || (n == 2 && cp < 0x800) ||
        (n == 3 && cp < 0x10000))
        return 0xFFFD;
    return cp;
}

int32_t errata_review_term_key(errata_review_term *term)
{
    for (;;) {
        int c = read_byte(term, -1);
        if (c < 0)
            return c;
        if (c == 0x04)
            return ERRATA_REVIEW_KEY_EOF; /* Ctrl-D */
        if (c == ERRATA_REVIEW_KEY_ESCAPE) {
            if (skip_escape_sequence(term))
                continue;
            return c;
        }
        if (c == '\n')
            return ERRATA_REVIEW_KEY_ENTER;
        if (c == 0x08)
            return ERRATA_REVIEW_KEY_BACKSPACE;
        return c < 0x80 ? c : read_utf8_tail(term, c);
    }
}

/* ------------------------------------------------------------ line editor */

static int append_code_point(char **text, size_t *len, int32_t cp)
{
    char *grown = realloc(*text, *len + 5);
    if (!grown)
        return -1;
    *text = grown;
    *len += errata_cli_utf8_put((uint32_t)cp, *text + *len);
    (*text)[*len] = '\0';
    return 0;
}

static void delete_last_code_point(char *text, size_t *len)
{
    while (*len > 0 && ((unsigned char)text[*len - 1] & 0xC0) == 0x80)
        --*len;
    if (*len > 0)
        --*len;
    text[*len] = '\0';
}

int errata_review_term_line(errata_review_term *term, const char *prompt, const char *initial,
                            char **out)
{
    size_t len = strlen(initial);
    char *text = malloc(len + 1);
    if (!text)
        return -1;
    memcpy(text, initial, len + 1);
    for (;;) {
        errata_review_draw_edit_line(term->out, errata_review_term_columns(term), prompt, text);
        fflush(term->out);
        int32_t key = errata_review_term_key(term);
        if (key == ERRATA_REVIEW_KEY_ENTER) {
            fputs("\r\n", term->out);
            *out = text;
            return 0;
        }
        if (key == ERRATA_REVIEW_KEY_ESCAPE || key < 0) {
            fputs("\r\n", term->out);
            free(text);
            return key == ERRATA_REVIEW_KEY_ESCAPE ? 1 : -1;
        }
        if (key == ERRATA_REVIEW_KEY_BACKSPACE)
            delete_last_code_point(text, &len);
        else if (key == 0x15) /* Ctrl-U */
            text[len = 0] = '\0';
        else if (key >= 0x20 && append_code_point(&text, &len, key)) {
            free(text);
            return -1;
        }
    }
}
