# Sensitive values flow through functions, for expressions, for_each and
# dynamic blocks; the model holds the plain values.
variable "s" {
  default   = { a = "x", b = "y" }
  sensitive = true
}
variable "l" {
  default   = ["x", "y"]
  sensitive = true
}
locals {
  n    = length(var.l)
  m    = length(var.s)
  k    = keys(var.s)
  j    = jsonencode(var.s)
  f    = [for x in var.l : upper(x)]
  c    = contains(var.l, "x")
  t    = toset(var.l)
  y    = yamlencode(var.s)
  st   = length("abc${var.l[0]}")
  mm   = merge(var.s, { c = "z" })
  fl   = flatten([var.l, ["q"]])
  jo   = join(",", var.l)
  lk   = lookup(var.s, "a", "d")
  cond = var.l[0] == "x" ? "yes" : "no"
}
project "p" {
  for_each = var.s
  name     = "p-${each.key}"
  env {
    variables = merge(var.s, { N = tostring(local.n) })
    exported  = local.f
  }
  dynamic "phase" {
    for_each = toset(var.l)
    labels   = [phase.value == "x" ? "build" : "install"]
    content { commands = [local.j, local.y, local.jo, local.cond] }
  }
}
