/* The explorer's export key: the view on screen (the timeline, with the
 * compared placement under it, or the sensitivity plot) as an SVG picture
 * next to the scenario file. An existing file is never replaced: the name
 * takes the first free number instead, and the footer says where it went. */
#ifndef NNPART_EXPORT_H
#define NNPART_EXPORT_H

#include "explorer.h"

/* The directory and the stem of the scenario's file ("configs", "default");
 * the current directory and "default" for the built-in scenario. */
void export_place(const explorer *ex, char *dir, size_t dir_size, char *stem, size_t stem_size);
unsigned export_act_view(explorer *ex);

#endif
