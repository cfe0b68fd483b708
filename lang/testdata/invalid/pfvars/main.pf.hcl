variable "count" {
  type = number
}
