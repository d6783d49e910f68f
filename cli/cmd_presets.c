/* nnpart presets [--json]: the device and link presets scenario files name. */
#include <stdio.h>

#include "cli.h"
#include "json.h"
#include "presets.h"
#include "table.h"

static const cli_opt OPTS[] = {
    {.name = "json", .arg = NULL, .help = "print the presets as JSON"},
};

static const cli_spec SPEC = {
    .command = "presets",
    .synopsis = "[--json]",
    .about = "Lists the device presets ('preset: jetson-nano' in a device) and link\n"
             "presets ('preset: 4g' in a link) with their numbers and where the numbers\n"
             "come from. Keys written next to a preset override its values.",
    .min_pos = 0,
    .max_pos = 0,
    .nopts = 1,
    .opts = OPTS,
    .example = "nnpart presets",
};

static void print_json(void)
{
    json_writer w;
    json_init(&w, stdout);
    json_object_begin(&w);
    json_key(&w, "devices");
    json_array_begin(&w);
    for (int i = 0; i < presets_device_count(); i++) {
        const nn_device_preset *p = presets_device_at(i);
        json_object_begin_inline(&w);
        json_kv_string(&w, "name", p->name);
        json_kv_string(&w, "tier", tier_name(p->tier));
        json_kv_number(&w, "speed_flop_s", p->speed);
        json_kv_number(&w, "memory_bytes", p->memory);
        json_kv_number(&w, "load_rate_bytes_s", p->load_rate);
        json_kv_string(&w, "rationale", p->rationale);
        json_object_end(&w);
    }
    json_array_end(&w);
    json_key(&w, "links");
    json_array_begin(&w);
    for (int i = 0; i < presets_link_count(); i++) {
        const nn_link_preset *p = presets_link_at(i);
        json_object_begin_inline(&w);
        json_kv_string(&w, "name", p->name);
        json_kv_number(&w, "bandwidth_bit_s", p->bandwidth);
        json_kv_number(&w, "reverse_bandwidth_bit_s", p->reverse);
        json_kv_number(&w, "latency_s", p->latency);
        json_kv_string(&w, "rationale", p->rationale);
        json_object_end(&w);
    }
    json_array_end(&w);
    json_object_end(&w);
    json_finish(&w);
}

static void print_text(void)
{
    printf("device presets:\n");
    cli_table t;
    table_init(&t, CLI_DEVICE_COLUMNS, "why these numbers", NULL);
    for (int i = 0; i < presets_device_count(); i++) {
        const nn_device_preset *p = presets_device_at(i);
        cli_device_cells(&t, p->name, p->tier, p->speed, p->memory, p->load_rate);
        table_cell(&t, "%s", p->rationale);
    }
    table_print(&t, stdout, 2);
    table_free(&t);

    printf("\nlink presets (a -> b is the first device's uplink):\n");
    table_init(&t, "name", CLI_LINK_COLUMNS, "why these numbers", NULL);
    for (int i = 0; i < presets_link_count(); i++) {
        const nn_link_preset *p = presets_link_at(i);
        table_cell(&t, "%s", p->name);
        cli_link_cells(&t, p->bandwidth, p->reverse, p->latency);
        table_cell(&t, "%s", p->rationale);
    }
    table_print(&t, stdout, 2);
    table_free(&t);
}

int cmd_presets(int argc, char **argv)
{
    cli_args args;
    int rc = cli_parse(&SPEC, argc, argv, &args);
    if (rc != CLI_PARSED) return rc;
    if (cli_get(&SPEC, &args, "json"))
        print_json();
    else
        print_text();
    return CLI_EXIT_OK;
}
