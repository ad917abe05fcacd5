/* A fixture for the DWARF reader tests: every kind of type the Variables view shows, and
   functions whose locals gcc places in registers, on the stack, in pieces and as values. */
typedef unsigned long ulong_t;
typedef enum { COLOR_RED, COLOR_GREEN = 5, COLOR_BLUE } color_t;

struct point { int x; int y; };
struct flags { unsigned ready : 1; unsigned mode : 3; signed level : 4; unsigned rest : 24; };
union word { unsigned int u; float f; unsigned char bytes[4]; };
struct record {
    const char *name;
    struct point where;
    union word value;
    struct flags flags;
    color_t color;
    int grid[2][3];
    volatile unsigned short status;
    struct record *next;
    double weight;
    _Bool valid;
    signed char small;
    long long big;
};

struct record records[2] = {
    { "first", { 1, 2 }, { 0x3f800000u }, { 1, 5, -3, 7 }, COLOR_GREEN, { { 1, 2, 3 }, { 4, 5, 6 } }, 9, 0, 2.5, 1, -4, -5 },
    { "second", { -7, 8 }, { 7 }, { 0, 2, 3, 1 }, COLOR_BLUE, { { 0 } }, 1, &records[0], -1.0, 0, 3, 1LL << 40 },
};
const ulong_t table_size = sizeof records / sizeof records[0];
volatile int sink;
static int counter;

static inline int square(int v) { return v * v; }

__attribute__((noinline)) int sum_points(const struct point *points, int count)
{
    int total = 0;
    for (int i = 0; i < count; i++) {
        int here = points[i].x + points[i].y;
        total += square(here);
    }
    return total;
}

__attribute__((noinline)) long scale(long value, int factor)
{
    long scaled = value * factor;
    sink = (int)scaled;
    {
        long shifted = scaled << 2;
        sink = (int)shifted;
    }
    return scaled + 1;
}

__attribute__((noinline)) int walk(struct record *first)
{
    int seen = 0;
    for (struct record *r = first; r; r = r->next) {
        seen += r->flags.mode + r->color;
        counter++;
    }
    return seen;
}

void _start(void)
{
    struct point local_points[3] = { { 1, 2 }, { 3, 4 }, { 5, 6 } };
    int total = sum_points(local_points, 3);
    long scaled = scale(total, 3);
    sink = walk(&records[1]) + (int)scaled;
    for (;;)
        ;
}
