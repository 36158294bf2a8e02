/* takes-take-gallery.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-take-gallery"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-generate-private.h"
#include "takes-player.h"
#include "takes-take-card.h"
#include "takes-take-gallery.h"

struct _TakesTakeGallery
{
  AdwBin          parent_instance;

  /* template widgets */
  GtkLabel       *count_label;
  GtkLabel       *summary_label;
  GtkStack       *stack;
  GtkFlowBox     *flow_box;
  GtkWidget      *compare_button;

  /* owned */
  TakesShot      *shot;
  TakesHistory   *history;
  TakesJobEngine *engine;
  GListModel     *takes;

  gboolean        can_compare;
};

G_DEFINE_FINAL_TYPE (TakesTakeGallery, takes_take_gallery, ADW_TYPE_BIN)

enum {
  COMPARE,
  TAKE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_CAN_COMPARE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static TakesTakeCard *
card_at (TakesTakeGallery *self,
         guint             position)
{
  GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (self->flow_box, position);

  if (child == NULL)
    return NULL;

  return TAKES_TAKE_CARD (gtk_flow_box_child_get_child (child));
}

static guint
count_cards (TakesTakeGallery *self,
             guint            *n_selected)
{
  guint n_items = self->takes != NULL ? g_list_model_get_n_items (self->takes) : 0;
  guint n_selectable = 0;

  *n_selected = 0;
  for (guint i = 0; i < n_items; i++)
    {
      TakesTakeCard *card = card_at (self, i);

      if (card == NULL)
        continue;
      if (takes_take_card_get_selectable (card))
        n_selectable++;
      if (takes_take_card_get_selected (card))
        (*n_selected)++;
    }

  return n_selectable;
}

static void
update_compare (TakesTakeGallery *self)
{
  gboolean can_compare = takes_take_gallery_can_compare (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.compare", can_compare);

  /* The window's Compare (Ctrl+K) follows */
  if (self->can_compare != can_compare)
    {
      self->can_compare = can_compare;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_COMPARE]);
    }
}

static void
update_summary (TakesTakeGallery *self)
{
  guint n_items = self->takes != NULL ? g_list_model_get_n_items (self->takes) : 0;
  guint n_ready = 0, n_running = 0, n_failed = 0, n_selected = 0;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *count = NULL;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(TakesTake) take = g_list_model_get_item (self->takes, i);
      TakesTakeState state = takes_take_get_state (take);

      if (state == TAKES_TAKE_READY)
        n_ready++;
      else if (state == TAKES_TAKE_FAILED || state == TAKES_TAKE_UNKNOWN)
        n_failed++;
      else if (takes_take_state_is_in_flight (state) && state != TAKES_TAKE_DRAFT)
        n_running++;
    }

  count_cards (self, &n_selected);
  if (n_selected > 0)
    /* Translators: how many take cards are selected for comparing */
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u selected", "%u selected", n_selected),
                                             n_selected));
  if (n_running > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u generating", "%u generating", n_running),
                                             n_running));
  if (n_ready > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u ready", "%u ready", n_ready), n_ready));
  if (n_failed > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u needs attention",
                                                       "%u need attention", n_failed),
                                             n_failed));
  g_ptr_array_add (parts, NULL);

  if (parts->len > 1)
    {
      g_autofree char *text = g_strjoinv (C_("facts separator", " · "), (char **) parts->pdata);

      gtk_label_set_text (self->summary_label, text);
    }
  else
    gtk_label_set_text (self->summary_label, "");

  count = g_strdup_printf ("%u", n_items);
  gtk_label_set_text (self->count_label, count);
  gtk_widget_set_visible (GTK_WIDGET (self->count_label), n_items > 0);
  gtk_stack_set_visible_child_name (self->stack, n_items > 0 ? "cards" : "empty");
  update_compare (self);
}

static void
renumber (TakesTakeGallery *self)
{
  guint n_items = self->takes != NULL ? g_list_model_get_n_items (self->takes) : 0;

  for (guint i = 0; i < n_items; i++)
    {
      TakesTakeCard *card = card_at (self, i);

      if (card != NULL)
        takes_take_card_set_number (card, i + 1);
    }
}

static void
on_takes_changed (TakesTakeGallery *self,
                  guint             position,
                  guint             removed,
                  guint             added)
{
  renumber (self);
  update_summary (self);
}

static void
on_take_state_changed (TakesTakeGallery *self)
{
  update_summary (self);
}

static void
on_card_selected_changed (TakesTakeGallery *self,
                          GParamSpec       *pspec,
                          TakesTakeCard    *card)
{
  guint n_selected = 0;

  count_cards (self, &n_selected);

  /* Four is what the compare view shows; a fifth tick is refused. */
  if (n_selected > TAKES_PLAYER_MAX_SOURCES && takes_take_card_get_selected (card))
    {
      gtk_widget_error_bell (GTK_WIDGET (card));
      takes_take_card_set_selected (card, FALSE);
      return;
    }

  update_summary (self);
}

static gboolean
on_card_activate (TakesTakeGallery *self,
                  TakesTakeCard    *card)
{
  gboolean handled = FALSE;

  g_signal_emit (self, signals[TAKE_ACTIVATED], 0, takes_take_card_get_take (card), &handled);

  return handled;
}

static GtkWidget *
create_card (gpointer item,
             gpointer user_data)
{
  TakesTakeGallery *self = user_data;
  GtkWidget *card = takes_take_card_new (TAKES_TAKE (item));
  GtkWidget *child;

  takes_take_card_set_context (TAKES_TAKE_CARD (card), self->shot, self->history, self->engine);
  g_signal_connect_object (item, "notify::state",
                           G_CALLBACK (on_take_state_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::media",
                           G_CALLBACK (on_take_state_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (card, "notify::selected",
                           G_CALLBACK (on_card_selected_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (card, "activate",
                           G_CALLBACK (on_card_activate), self, G_CONNECT_SWAPPED);

  /* The flow box child is only a frame for the card: the card is what a
   * person reaches and what a screen reader names. */
  child = gtk_flow_box_child_new ();
  gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), card);
  gtk_widget_set_focusable (child, FALSE);
  gtk_widget_set_halign (card, GTK_ALIGN_FILL);
  /* Cards of a row share its height, with their buttons at the bottom. */
  gtk_widget_set_valign (card, GTK_ALIGN_FILL);

  return child;
}

static void
disconnect_takes (TakesTakeGallery *self)
{
  if (self->takes == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->takes, self);
  for (guint i = 0; i < g_list_model_get_n_items (self->takes); i++)
    {
      g_autoptr(GObject) take = g_list_model_get_item (self->takes, i);

      g_signal_handlers_disconnect_by_data (take, self);
    }
  g_clear_object (&self->takes);
}

static void
rebind (TakesTakeGallery *self)
{
  disconnect_takes (self);

  if (self->shot == NULL)
    {
      gtk_flow_box_bind_model (self->flow_box, NULL, NULL, NULL, NULL);
      update_summary (self);
      return;
    }

  self->takes = g_object_ref (takes_shot_get_takes (self->shot));
  gtk_flow_box_bind_model (self->flow_box, self->takes, create_card, self, NULL);
  /* After the flow box's own handler, so the new cards exist. */
  g_signal_connect_object (self->takes, "items-changed",
                           G_CALLBACK (on_takes_changed), self, G_CONNECT_SWAPPED);
  renumber (self);
  update_summary (self);
}

void
takes_take_gallery_set_shot (TakesTakeGallery *self,
                             TakesShot        *shot,
                             TakesHistory     *history)
{
  g_return_if_fail (TAKES_IS_TAKE_GALLERY (self));
  g_return_if_fail (!shot || TAKES_IS_SHOT (shot));
  g_return_if_fail (!history || TAKES_IS_HISTORY (history));

  if (self->shot == shot && self->history == history)
    return;

  g_set_object (&self->shot, shot);
  g_set_object (&self->history, history);
  rebind (self);
}

TakesShot *
takes_take_gallery_get_shot (TakesTakeGallery *self)
{
  g_return_val_if_fail (TAKES_IS_TAKE_GALLERY (self), NULL);

  return self->shot;
}

void
takes_take_gallery_set_engine (TakesTakeGallery *self,
                               TakesJobEngine   *engine)
{
  g_return_if_fail (TAKES_IS_TAKE_GALLERY (self));
  g_return_if_fail (!engine || TAKES_IS_JOB_ENGINE (engine));

  if (!g_set_object (&self->engine, engine))
    return;

  for (guint i = 0; self->takes != NULL && i < g_list_model_get_n_items (self->takes); i++)
    {
      TakesTakeCard *card = card_at (self, i);

      if (card != NULL)
        takes_take_card_set_context (card, self->shot, self->history, self->engine);
    }
}

GtkWidget *
takes_take_gallery_get_card (TakesTakeGallery *self,
                             TakesTake        *take)
{
  g_return_val_if_fail (TAKES_IS_TAKE_GALLERY (self), NULL);

  for (guint i = 0; self->takes != NULL && i < g_list_model_get_n_items (self->takes); i++)
    {
      TakesTakeCard *card = card_at (self, i);

      if (card != NULL && takes_take_card_get_take (card) == take)
        return GTK_WIDGET (card);
    }

  return NULL;
}

GPtrArray *
takes_take_gallery_dup_selection (TakesTakeGallery *self)
{
  GPtrArray *takes;

  g_return_val_if_fail (TAKES_IS_TAKE_GALLERY (self), NULL);

  takes = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; self->takes != NULL && i < g_list_model_get_n_items (self->takes); i++)
    {
      TakesTakeCard *card = card_at (self, i);

      if (card != NULL && takes_take_card_get_selected (card))
        g_ptr_array_add (takes, g_object_ref (takes_take_card_get_take (card)));
    }

  return takes;
}

void
takes_take_gallery_set_selected (TakesTakeGallery *self,
                                 TakesTake        *take,
                                 gboolean          selected)
{
  GtkWidget *card;

  g_return_if_fail (TAKES_IS_TAKE_GALLERY (self));
  g_return_if_fail (TAKES_IS_TAKE (take));

  card = takes_take_gallery_get_card (self, take);
  if (card != NULL)
    takes_take_card_set_selected (TAKES_TAKE_CARD (card), selected);
}

void
takes_take_gallery_unselect_all (TakesTakeGallery *self)
{
  g_return_if_fail (TAKES_IS_TAKE_GALLERY (self));

  for (guint i = 0; self->takes != NULL && i < g_list_model_get_n_items (self->takes); i++)
    {
      TakesTakeCard *card = card_at (self, i);

      if (card != NULL)
        takes_take_card_set_selected (card, FALSE);
    }
}

gboolean
takes_take_gallery_can_compare (TakesTakeGallery *self)
{
  guint n_selectable, n_selected = 0;

  g_return_val_if_fail (TAKES_IS_TAKE_GALLERY (self), FALSE);

  n_selectable = count_cards (self, &n_selected);

  /* One ticked take is half a comparison: Compare waits for the second
   * rather than ignoring the tick. */
  if (n_selected > 0)
    return n_selected >= 2 && n_selected <= TAKES_PLAYER_MAX_SOURCES;

  return n_selectable >= 2;
}

void
takes_take_gallery_stop_previews (TakesTakeGallery *self)
{
  g_return_if_fail (TAKES_IS_TAKE_GALLERY (self));

  for (guint i = 0; self->takes != NULL && i < g_list_model_get_n_items (self->takes); i++)
    {
      TakesTakeCard *card = card_at (self, i);

      if (card != NULL)
        takes_take_card_stop (card);
    }
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TakesTakeGallery *self = TAKES_TAKE_GALLERY (widget);

  if (!takes_take_gallery_can_compare (self))
    {
      gtk_widget_error_bell (widget);
      return;
    }

  g_signal_emit (self, signals[COMPARE], 0);
}

static void
takes_take_gallery_dispose (GObject *object)
{
  TakesTakeGallery *self = (TakesTakeGallery *)object;

  disconnect_takes (self);
  if (self->flow_box != NULL)
    gtk_flow_box_bind_model (self->flow_box, NULL, NULL, NULL, NULL);

  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TAKES_TYPE_TAKE_GALLERY);

  g_clear_object (&self->shot);
  g_clear_object (&self->history);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (takes_take_gallery_parent_class)->dispose (object);
}

static void
takes_take_gallery_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TakesTakeGallery *self = TAKES_TAKE_GALLERY (object);

  switch (prop_id)
    {
    case PROP_CAN_COMPARE:
      g_value_set_boolean (value, self->can_compare);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_take_gallery_class_init (TakesTakeGalleryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = takes_take_gallery_dispose;
  object_class->get_property = takes_take_gallery_get_property;

  /**
   * TakesTakeGallery:can-compare:
   *
   * Whether Compare would open a comparison now (see
   * takes_take_gallery_can_compare()).
   */
  properties[PROP_CAN_COMPARE] =
    g_param_spec_boolean ("can-compare", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/takesapp/Takes/takes-take-gallery.ui");
  gtk_widget_class_bind_template_child (widget_class, TakesTakeGallery, count_label);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeGallery, summary_label);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeGallery, stack);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeGallery, flow_box);
  gtk_widget_class_bind_template_child (widget_class, TakesTakeGallery, compare_button);

  gtk_widget_class_install_action (widget_class, "gallery.compare", NULL, compare_action);

  /**
   * TakesTakeGallery::compare:
   *
   * Compare was pressed with a selection that can be compared; the
   * handler opens the comparison (see takes_take_gallery_dup_selection()).
   */
  signals[COMPARE] =
    g_signal_new ("compare",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * TakesTakeGallery::take-activated:
   * @take: the take
   *
   * A card asked to play its take (Play, or a click on its picture). A
   * handler that shows it (in the shot's player) returns TRUE; otherwise
   * the card plays it itself.
   */
  signals[TAKE_ACTIVATED] =
    g_signal_new ("take-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  g_signal_accumulator_true_handled, NULL,
                  NULL,
                  G_TYPE_BOOLEAN, 1, TAKES_TYPE_TAKE);

  gtk_widget_class_set_css_name (widget_class, "takegallery");
}

static void
takes_take_gallery_init (TakesTakeGallery *self)
{
  _takes_ui_ensure_generate_css ();
  gtk_widget_init_template (GTK_WIDGET (self));
  update_summary (self);
}

GtkWidget *
takes_take_gallery_new (void)
{
  return g_object_new (TAKES_TYPE_TAKE_GALLERY, NULL);
}
