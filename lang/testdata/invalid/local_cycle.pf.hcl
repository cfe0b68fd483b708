locals {
  a    = local.b # ERROR: Cycle in local values
  b    = "${local.c}-x"
  c    = upper(local.a)
  d    = local.a
  self = local.self # ERROR: Cycle in local values
  ok   = "fine"
}
